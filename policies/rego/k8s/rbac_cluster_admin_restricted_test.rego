package assay.k8s.rbac.cluster_admin_restricted_test

import data.assay.k8s.rbac.cluster_admin_restricted as policy
import rego.v1

params := {"break_glass_users": ["breakglass-1"], "allowed_groups": ["system:masters"]}

binding(name, role, subjects) := {
	"id": name,
	"type": "k8s.role_binding",
	"attributes": {
		"name": name,
		"kind": "ClusterRoleBinding",
		"namespace": null,
		"role_kind": "ClusterRole",
		"role_name": role,
		"subjects": subjects,
	},
}

sa(namespace, name) := {"kind": "ServiceAccount", "namespace": namespace, "name": name}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": params}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

message(rs) := r.message if some r in rs

test_break_glass_and_kube_system_pass if {
	subjects := [{"kind": "User", "name": "breakglass-1"}, sa("kube-system", "cluster-autoscaler")]
	rs := run([binding("admins", "cluster-admin", subjects)])
	verdicts(rs) == {["admins", "pass"]}
	contains(message(rs), "ServiceAccount kube-system/cluster-autoscaler, User breakglass-1")
}

test_default_system_masters_binding_passes if {
	verdicts(run([binding("cluster-admin", "cluster-admin", [{"kind": "Group", "name": "system:masters"}])])) == {
		["cluster-admin", "pass"],
	}
}

test_group_fails if {
	rs := run([binding("devs", "cluster-admin", [{"kind": "Group", "name": "developers"}])])
	verdicts(rs) == {["devs", "fail"]}
	contains(message(rs), "granted to Group developers")
}

test_service_account_outside_kube_system_fails if {
	rs := run([binding("ci", "cluster-admin", [sa("ci", "deployer"), sa("kube-system", "x")])])
	verdicts(rs) == {["ci", "fail"]}
	contains(message(rs), "granted to ServiceAccount ci/deployer;")
}

test_unlisted_user_fails if {
	verdicts(run([binding("u", "cluster-admin", [{"kind": "User", "name": "alice"}])])) == {["u", "fail"]}
}

test_service_account_defaults_to_binding_namespace if {
	b := binding("rb", "cluster-admin", [{"kind": "ServiceAccount", "name": "deployer"}])
	rb := object.union(b, {"attributes": {"kind": "RoleBinding", "namespace": "kube-system"}})
	verdicts(run([rb])) == {["rb", "pass"]}
	other := object.union(b, {"attributes": {"kind": "RoleBinding", "namespace": "payments"}})
	contains(message(run([other])), "ServiceAccount payments/deployer")
}

test_other_roles_and_system_bindings_not_applicable if {
	rs := run([
		binding("viewers", "view", [{"kind": "Group", "name": "developers"}]),
		binding("system:kube-controller-manager", "cluster-admin", [{"kind": "User", "name": "x"}]),
	])
	verdicts(rs) == {["viewers", "not_applicable"], ["system:kube-controller-manager", "not_applicable"]}
}

test_namespaced_role_named_cluster_admin_not_applicable if {
	b := binding("rb", "cluster-admin", [{"kind": "Group", "name": "developers"}])
	verdicts(run([object.union(b, {"attributes": {"role_kind": "Role"}})])) == {["rb", "not_applicable"]}
}

test_empty_binding_passes if {
	rs := run([binding("empty", "cluster-admin", [])])
	verdicts(rs) == {["empty", "pass"]}
	contains(message(rs), "no subject")
}
