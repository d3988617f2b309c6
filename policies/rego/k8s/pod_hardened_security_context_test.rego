package assay.k8s.pod.hardened_security_context_test

import data.assay.k8s.pod.hardened_security_context as policy
import rego.v1

hardened := {
	"name": "app",
	"image": "app",
	"run_as_non_root": true,
	"allow_privilege_escalation": false,
	"read_only_root_filesystem": true,
	"capabilities_drop": ["ALL"],
}

pod(ns, pod_non_root, containers) := {
	"id": "pod",
	"type": "k8s.pod",
	"attributes": {"namespace": ns, "name": "api", "run_as_non_root": pod_non_root, "containers": containers},
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"exempt_namespaces": ["kube-system"]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

message(rs) := r.message if some r in rs

test_hardened_container_passes if {
	verdicts(run([pod("payments", null, [hardened])])) == {["pod", "pass"]}
}

test_pod_level_non_root_is_inherited if {
	c := object.union(hardened, {"run_as_non_root": null})
	verdicts(run([pod("payments", true, [c])])) == {["pod", "pass"]}
}

test_container_root_overrides_pod_non_root if {
	c := object.union(hardened, {"run_as_non_root": false})
	rs := run([pod("payments", true, [c])])
	verdicts(rs) == {["pod", "fail"]}
	contains(message(rs), "container app lacks runAsNonRoot: true")
}

test_unset_escalation_fails if {
	rs := run([pod("payments", null, [object.union(hardened, {"allow_privilege_escalation": null})])])
	verdicts(rs) == {["pod", "fail"]}
	contains(message(rs), "allowPrivilegeEscalation: false")
}

test_writable_root_fails if {
	rs := run([pod("payments", null, [object.union(hardened, {"read_only_root_filesystem": false})])])
	contains(message(rs), "readOnlyRootFilesystem: true")
}

test_capabilities_not_dropped_fails if {
	rs := run([pod("payments", null, [object.union(hardened, {"capabilities_drop": ["NET_RAW"]})])])
	verdicts(rs) == {["pod", "fail"]}
	contains(message(rs), "capabilities.drop: [ALL]")
}

test_lowercase_all_is_accepted if {
	c := object.union(hardened, {"capabilities_drop": ["all"]})
	verdicts(run([pod("payments", null, [c])])) == {["pod", "pass"]}
}

test_init_container_is_judged if {
	init := {"name": "migrate", "image": "app", "init": true}
	rs := run([pod("payments", true, [hardened, init])])
	verdicts(rs) == {["pod", "fail"]}
	contains(message(rs), "init container migrate lacks allowPrivilegeEscalation: false, capabilities.drop: [ALL]")
	not contains(message(rs), "init container migrate lacks runAsNonRoot")
}

test_bare_container_lacks_everything if {
	rs := run([pod("payments", null, [{"name": "app", "image": "app"}])])
	verdicts(rs) == {["pod", "fail"]}
	contains(message(rs), "runAsNonRoot")
	contains(message(rs), "readOnlyRootFilesystem")
}

test_system_namespace_not_applicable if {
	verdicts(run([pod("kube-system", null, [{"name": "app", "image": "app"}])])) == {["pod", "not_applicable"]}
}
