package assay.azure.aks.network_policy_test

import data.assay.azure.aks.network_policy as policy
import rego.v1

cluster(attrs) := {"id": "aks", "type": "azure.aks.cluster", "attributes": object.union({"name": "aks"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_supported_engines_pass if {
	every engine in ["azure", "calico", "cilium", "Calico"] {
		verdicts(run([cluster({"network_policy": engine})])) == {["aks", "pass"]}
	}
}

test_no_engine_fails if {
	rs := run([cluster({"network_policy": null})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "network_policy is not set")
}

test_unknown_engine_fails if {
	verdicts(run([cluster({"network_policy": "none"})])) == {["aks", "fail"]}
}

test_missing_attribute_fails if {
	rs := run([cluster({})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "not set")
}
