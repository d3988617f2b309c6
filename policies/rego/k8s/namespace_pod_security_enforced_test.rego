package assay.k8s.namespace.pod_security_enforced_test

import data.assay.k8s.namespace.pod_security_enforced as policy
import rego.v1

namespace(name, labels) := {"id": name, "type": "k8s.namespace", "attributes": {"name": name, "labels": labels}}

enforce(level) := {"pod-security.kubernetes.io/enforce": level}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"exempt_namespaces": ["kube-system"]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_restricted_passes if {
	verdicts(run([namespace("payments", enforce("restricted"))])) == {["payments", "pass"]}
}

test_baseline_fails if {
	rs := run([namespace("payments", enforce("baseline"))])
	verdicts(rs) == {["payments", "fail"]}
	some r in rs
	contains(r.message, "is baseline; expected restricted")
}

test_warn_only_fails if {
	rs := run([namespace("payments", {"pod-security.kubernetes.io/warn": "restricted"})])
	verdicts(rs) == {["payments", "fail"]}
	some r in rs
	contains(r.message, "no pod-security.kubernetes.io/enforce label")
}

test_missing_labels_attribute_fails if {
	verdicts(run([{"id": "ns", "type": "k8s.namespace", "attributes": {"name": "payments"}}])) == {["ns", "fail"]}
}

test_system_namespace_not_applicable if {
	rs := run([namespace("kube-system", {}), namespace("payments", enforce("restricted"))])
	verdicts(rs) == {["kube-system", "not_applicable"], ["payments", "pass"]}
}
