# METADATA
# title: Roles name the verbs and resources they grant
# description: >-
#   A "*" in a rule's verbs or resources grants everything, including verbs and resource types added to
#   the cluster later. Roles list what they allow. Kubernetes' own roles (names starting with "system:")
#   and the built-in cluster-admin, admin and edit ClusterRoles are not judged; who is bound to them is.
# custom:
#   id: k8s.rbac.no_wildcards
#   resource_types: [k8s.role]
#   severity: high
#   params:
#     builtin_cluster_roles: [cluster-admin, admin, edit]
package assay.k8s.rbac.no_wildcards

import rego.v1

builtin(role) if startswith(role.attributes.name, "system:")

builtin(role) if {
	role.attributes.kind == "ClusterRole"
	role.attributes.name in {r | some r in input.params.builtin_cluster_roles}
}

wildcard(rule) if "*" in rule.verbs

wildcard(rule) if "*" in rule.resources

listing(values) := concat(",", values) if count(values) > 0

else := "none"

problems[role.id] contains msg if {
	some role in input.resources
	not builtin(role)
	some index, rule in role.attributes.rules
	wildcard(rule)
	msg := sprintf(
		"rule %d allows verbs [%s] on resources [%s]",
		[index + 1, listing(object.get(rule, "verbs", [])), listing(object.get(rule, "resources", []))],
	)
}

results contains {"resource": role.id, "status": "not_applicable", "message": msg} if {
	some role in input.resources
	builtin(role)
	msg := sprintf("%s is maintained by Kubernetes, not by this platform", [role.attributes.name])
}

results contains {"resource": role.id, "status": "pass", "message": msg} if {
	some role in input.resources
	not builtin(role)
	not problems[role.id]
	msg := sprintf("all %d rules name their verbs and resources", [count(role.attributes.rules)])
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf("%s; expected explicit verbs and resources, no \"*\"", [concat("; ", sort(found))])
}
