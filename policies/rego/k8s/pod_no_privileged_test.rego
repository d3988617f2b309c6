package assay.k8s.pod.no_privileged_test

import data.assay.k8s.pod.no_privileged as policy
import rego.v1

pod(ns, containers) := {
	"id": "pod",
	"type": "k8s.pod",
	"attributes": {"namespace": ns, "name": "api", "containers": containers},
}

container(name, privileged) := {"name": name, "image": "app", "privileged": privileged}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"exempt_namespaces": ["kube-system"]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_unprivileged_pod_passes if {
	rs := run([pod("payments", [container("app", false), container("sidecar", false)])])
	verdicts(rs) == {["pod", "pass"]}
	some r in rs
	contains(r.message, "none of 2 containers")
}

test_privileged_container_fails if {
	rs := run([pod("payments", [container("app", false), container("debug", true)])])
	verdicts(rs) == {["pod", "fail"]}
	some r in rs
	contains(r.message, "container debug runs privileged")
}

test_privileged_init_container_fails if {
	init := object.union(container("setup", true), {"init": true})
	rs := run([pod("payments", [container("app", false), init])])
	verdicts(rs) == {["pod", "fail"]}
	some r in rs
	contains(r.message, "init container setup")
}

test_system_namespace_not_applicable if {
	rs := run([pod("kube-system", [container("cni", true)])])
	verdicts(rs) == {["pod", "not_applicable"]}
}

test_container_without_flag_uses_default if {
	verdicts(run([pod("payments", [{"name": "app", "image": "app"}])])) == {["pod", "pass"]}
}
