package assay.k8s.namespace.default_deny_test

import data.assay.k8s.namespace.default_deny as policy
import rego.v1

namespace(name) := {"id": name, "type": "k8s.namespace", "attributes": {"name": name, "labels": {}}}

network_policy(ns, name, attrs) := {
	"id": sprintf("%s/%s", [ns, name]),
	"type": "k8s.network_policy",
	"attributes": object.union(
		{
			"namespace": ns,
			"name": name,
			"pod_selector": {},
			"selector_has_expressions": false,
			"policy_types": ["Ingress"],
			"ingress_rule_count": 0,
			"egress_rule_count": 0,
		},
		attrs,
	),
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"exempt_namespaces": ["kube-system"]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

message(rs) := r.message if some r in rs

test_default_deny_passes if {
	rs := run([namespace("payments"), network_policy("payments", "default-deny", {})])
	verdicts(rs) == {["payments", "pass"]}
	contains(message(rs), "default-deny")
}

test_deny_all_both_directions_passes if {
	np := network_policy("payments", "deny-all", {"policy_types": ["Ingress", "Egress"]})
	verdicts(run([namespace("payments"), np])) == {["payments", "pass"]}
}

test_unset_policy_types_default_to_ingress if {
	verdicts(run([namespace("payments"), network_policy("payments", "deny", {"policy_types": []})])) == {
		["payments", "pass"],
	}
}

test_no_policy_fails if {
	rs := run([namespace("payments")])
	verdicts(rs) == {["payments", "fail"]}
	contains(message(rs), "policies found: none")
}

test_allowing_policy_is_not_default_deny if {
	rs := run([namespace("payments"), network_policy("payments", "allow-web", {"ingress_rule_count": 1})])
	verdicts(rs) == {["payments", "fail"]}
	contains(message(rs), "policies found: allow-web")
}

test_selective_policies_are_not_default_deny if {
	rs := run([
		namespace("payments"),
		network_policy("payments", "labels", {"pod_selector": {"app": "api"}}),
		network_policy("payments", "expr", {"selector_has_expressions": true}),
		network_policy("payments", "egress", {"policy_types": ["Egress"]}),
	])
	verdicts(rs) == {["payments", "fail"]}
}

test_policy_in_other_namespace_does_not_count if {
	rs := run([namespace("payments"), namespace("web"), network_policy("web", "deny", {})])
	verdicts(rs) == {["payments", "fail"], ["web", "pass"]}
}

test_policies_get_no_verdict_and_system_namespace_exempt if {
	rs := run([namespace("kube-system"), network_policy("kube-system", "x", {"ingress_rule_count": 3})])
	verdicts(rs) == {["kube-system", "not_applicable"]}
}

test_policies_without_namespaces_give_population_verdict if {
	rs := run([network_policy("payments", "deny", {})])
	verdicts(rs) == {[null, "not_applicable"]}
	contains(message(rs), "1 NetworkPolicies but no k8s.namespace")
}
