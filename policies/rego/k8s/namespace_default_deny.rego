# METADATA
# title: Every application namespace denies ingress by default
# description: >-
#   Without a default-deny NetworkPolicy any pod can be reached from anywhere in the cluster. Each
#   application namespace needs a policy that selects every pod (empty podSelector, no expressions), covers
#   Ingress and allows nothing; narrower policies then open only the paths the application needs. A policy
#   without policyTypes covers Ingress, as Kubernetes defaults it.
# custom:
#   id: k8s.namespace.default_deny
#   resource_types: [k8s.namespace, k8s.network_policy]
#   subject_types: [k8s.namespace]
#   severity: high
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
package assay.k8s.namespace.default_deny

import data.assay.lib.k8s
import rego.v1

namespaces := [res | some res in input.resources; res.type == "k8s.namespace"]

network_policies := [res | some res in input.resources; res.type == "k8s.network_policy"]

policy_types(np) := np.attributes.policy_types if count(np.attributes.policy_types) > 0

else := ["Ingress"]

denies_all_ingress(np) if {
	count(object.get(np.attributes, "pod_selector", {})) == 0
	not np.attributes.selector_has_expressions == true
	"Ingress" in policy_types(np)
	np.attributes.ingress_rule_count == 0
}

policies_in(ns) := {np.attributes.name | some np in network_policies; np.attributes.namespace == ns.attributes.name}

deny_policies_in(ns) := {np.attributes.name |
	some np in network_policies
	np.attributes.namespace == ns.attributes.name
	denies_all_ingress(np)
}

listing(names) := concat(", ", sort(names)) if count(names) > 0

else := "none"

# Network policies alone (manifests that do not declare their namespaces) still get an explicit verdict.
results contains {"resource": null, "status": "not_applicable", "message": msg} if {
	count(namespaces) == 0
	msg := sprintf(
		"%d NetworkPolicies but no k8s.namespace snapshot: there is no namespace to judge",
		[count(network_policies)],
	)
}

results contains k8s.not_applicable(ns) if {
	some ns in namespaces
	k8s.exempt(ns)
}

results contains {"resource": ns.id, "status": "pass", "message": msg} if {
	some ns in namespaces
	not k8s.exempt(ns)
	deny := deny_policies_in(ns)
	count(deny) > 0
	msg := sprintf("NetworkPolicy %s denies all ingress by default", [listing(deny)])
}

results contains {"resource": ns.id, "status": "fail", "message": msg} if {
	some ns in namespaces
	not k8s.exempt(ns)
	count(deny_policies_in(ns)) == 0
	msg := sprintf(
		"no default-deny ingress policy (policies found: %s); expected one selecting all pods with no ingress rules",
		[listing(policies_in(ns))],
	)
}
