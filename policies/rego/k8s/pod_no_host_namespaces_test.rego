package assay.k8s.pod.no_host_namespaces_test

import data.assay.k8s.pod.no_host_namespaces as policy
import rego.v1

pod(ns, attrs) := {"id": "pod", "type": "k8s.pod", "attributes": object.union({"namespace": ns, "name": "api"}, attrs)}

isolated := {"host_network": false, "host_pid": false, "host_ipc": false, "host_path_volumes": []}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"exempt_namespaces": ["kube-system"]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_isolated_pod_passes if {
	verdicts(run([pod("payments", isolated)])) == {["pod", "pass"]}
}

test_each_host_namespace_fails if {
	every attr, field in {"host_network": "hostNetwork", "host_pid": "hostPID", "host_ipc": "hostIPC"} {
		rs := run([pod("payments", object.union(isolated, {attr: true}))])
		verdicts(rs) == {["pod", "fail"]}
		some r in rs
		contains(r.message, sprintf("%s is true", [field]))
	}
}

test_host_path_fails if {
	rs := run([pod("payments", object.union(isolated, {"host_path_volumes": ["/var/run/docker.sock"]}))])
	verdicts(rs) == {["pod", "fail"]}
	some r in rs
	contains(r.message, "/var/run/docker.sock")
}

test_system_namespace_not_applicable if {
	verdicts(run([pod("kube-system", object.union(isolated, {"host_network": true}))])) == {["pod", "not_applicable"]}
}

test_unset_fields_use_defaults if {
	verdicts(run([pod("payments", {})])) == {["pod", "pass"]}
}
