package assay.k8s.rbac.no_wildcards_test

import data.assay.k8s.rbac.no_wildcards as policy
import rego.v1

role(kind, name, rules) := {
	"id": name,
	"type": "k8s.role",
	"attributes": {"kind": kind, "name": name, "namespace": null, "rules": rules},
}

rule(verbs, resources) := {"api_groups": [""], "verbs": verbs, "resources": resources}

run(resources) := rs if {
	rs := policy.results with input as {
		"resources": resources,
		"params": {"builtin_cluster_roles": ["cluster-admin", "admin", "edit"]},
	}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_explicit_rules_pass if {
	rs := run([role("Role", "reader", [rule(["get", "list"], ["pods"]), rule(["get"], ["configmaps"])])])
	verdicts(rs) == {["reader", "pass"]}
	some r in rs
	contains(r.message, "all 2 rules")
}

test_wildcard_verb_fails if {
	rs := run([role("Role", "ops", [rule(["get"], ["pods"]), rule(["*"], ["deployments"])])])
	verdicts(rs) == {["ops", "fail"]}
	some r in rs
	contains(r.message, "rule 2 allows verbs [*] on resources [deployments]")
}

test_wildcard_resource_fails if {
	verdicts(run([role("ClusterRole", "reader-all", [rule(["get"], ["*"])])])) == {["reader-all", "fail"]}
}

test_non_resource_wildcard_verb_fails if {
	rs := run([role("ClusterRole", "probe", [{"verbs": ["*"], "non_resource_urls": ["/healthz"]}])])
	verdicts(rs) == {["probe", "fail"]}
	some r in rs
	contains(r.message, "on resources [none]")
}

test_wildcard_api_group_alone_passes if {
	any_group := {"api_groups": ["*"], "verbs": ["get"], "resources": ["pods"]}
	verdicts(run([role("Role", "x", [any_group])])) == {["x", "pass"]}
}

test_builtin_roles_not_applicable if {
	rs := run([
		role("ClusterRole", "cluster-admin", [rule(["*"], ["*"])]),
		role("ClusterRole", "system:controller:deployment-controller", [rule(["*"], ["*"])]),
		role("Role", "system:bootstrap-signer", [rule(["*"], ["secrets"])]),
	])
	verdicts(rs) == {
		["cluster-admin", "not_applicable"],
		["system:controller:deployment-controller", "not_applicable"],
		["system:bootstrap-signer", "not_applicable"],
	}
}

test_namespaced_role_named_admin_is_judged if {
	verdicts(run([role("Role", "admin", [rule(["*"], ["*"])])])) == {["admin", "fail"]}
}
