# METADATA
# title: Only break-glass users and kube-system service accounts hold cluster-admin
# description: >-
#   cluster-admin can do anything in the cluster. A binding to it may name only the break-glass users
#   listed in params.break_glass_users (by the name the collector records) and service accounts in
#   kube-system. Groups are refused because their members are managed outside the cluster, except
#   system:masters (params.allowed_groups), which the API server authorises on its own whatever the
#   binding says. Bindings to other roles, and Kubernetes' own "system:" bindings, are not judged.
# custom:
#   id: k8s.rbac.cluster_admin_restricted
#   resource_types: [k8s.role_binding]
#   severity: critical
#   params:
#     break_glass_users: []
#     allowed_groups: ['system:masters']
package assay.k8s.rbac.cluster_admin_restricted

import rego.v1

grants_cluster_admin(binding) if {
	binding.attributes.role_kind == "ClusterRole"
	binding.attributes.role_name == "cluster-admin"
	not startswith(binding.attributes.name, "system:")
}

# A service account subject without a namespace lives in the binding's namespace.
subject_namespace(binding, subject) := object.get(subject, "namespace", null) if {
	object.get(subject, "namespace", null) != null
} else := object.get(binding.attributes, "namespace", null)

default allowed(_, _) := false

allowed(binding, subject) if {
	subject.kind == "ServiceAccount"
	subject_namespace(binding, subject) == "kube-system"
}

allowed(_, subject) if {
	subject.kind == "User"
	subject.name in {u | some u in input.params.break_glass_users}
}

allowed(_, subject) if {
	subject.kind == "Group"
	subject.name in {g | some g in input.params.allowed_groups}
}

subject_name(subject) := object.get(subject, "name", "unnamed")

describe(binding, subject) := sprintf("ServiceAccount %v/%v", [namespace, subject_name(subject)]) if {
	subject.kind == "ServiceAccount"
	namespace := subject_namespace(binding, subject)
} else := sprintf("%v %v", [object.get(subject, "kind", "subject"), subject_name(subject)])

# Subjects the binding gives cluster-admin to, split by whether the policy allows them.
holders(binding, wanted) := {describe(binding, s) |
	some s in binding.attributes.subjects
	allowed(binding, s) == wanted
}

listing(values) := concat(", ", sort(values)) if count(values) > 0

else := "no subject"

skip_reason(binding) := "a Kubernetes system: binding, maintained by the cluster itself" if {
	startswith(binding.attributes.name, "system:")
} else := sprintf(
	"binds %v %v, not the cluster-admin ClusterRole",
	[object.get(binding.attributes, "role_kind", "unknown"), object.get(binding.attributes, "role_name", "unknown")],
)

results contains {"resource": binding.id, "status": "not_applicable", "message": skip_reason(binding)} if {
	some binding in input.resources
	not grants_cluster_admin(binding)
}

results contains {"resource": binding.id, "status": "pass", "message": msg} if {
	some binding in input.resources
	grants_cluster_admin(binding)
	count(holders(binding, false)) == 0
	msg := sprintf("cluster-admin is held only by %s", [listing(holders(binding, true))])
}

results contains {"resource": binding.id, "status": "fail", "message": msg} if {
	some binding in input.resources
	grants_cluster_admin(binding)
	others := holders(binding, false)
	count(others) > 0
	msg := sprintf(
		"cluster-admin is granted to %s; expected only break-glass users and kube-system service accounts",
		[listing(others)],
	)
}
