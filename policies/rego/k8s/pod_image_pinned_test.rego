package assay.k8s.pod.image_pinned_test

import data.assay.k8s.pod.image_pinned as policy
import rego.v1

digest := "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

pod(ns, images) := {
	"id": "pod",
	"type": "k8s.pod",
	"attributes": {"namespace": ns, "name": "api", "containers": [{"name": i, "image": i} | some i in images]},
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"exempt_namespaces": ["kube-system"]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_digest_pinned_passes if {
	rs := run([pod("payments", [sprintf("registry.example/api@%s", [digest])])])
	verdicts(rs) == {["pod", "pass"]}
	some r in rs
	contains(r.message, "all 1 container images")
}

test_tag_and_digest_passes if {
	verdicts(run([pod("payments", [sprintf("registry.example/api:1.4@%s", [digest])])])) == {["pod", "pass"]}
}

test_tag_only_fails if {
	rs := run([pod("payments", ["registry.example/api:1.4", sprintf("envoy@%s", [digest])])])
	verdicts(rs) == {["pod", "fail"]}
	some r in rs
	contains(r.message, "container registry.example/api:1.4 uses registry.example/api:1.4")
	not contains(r.message, "envoy")
}

test_latest_fails if {
	verdicts(run([pod("payments", ["nginx"])])) == {["pod", "fail"]}
}

test_system_namespace_not_applicable if {
	verdicts(run([pod("kube-system", ["coredns:1.11"])])) == {["pod", "not_applicable"]}
}
