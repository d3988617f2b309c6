package assay.azure.aks.kms_etcd_encryption_test

import data.assay.azure.aks.kms_etcd_encryption as policy
import rego.v1

cluster(id, attrs) := {"id": id, "type": "azure.aks.cluster", "attributes": object.union({"name": id}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_kms_enabled_passes if {
	rs := run([cluster("aks", {"kms_enabled": true})])
	verdicts(rs) == {["aks", "pass"]}
}

test_kms_disabled_fails if {
	rs := run([cluster("aks", {"kms_enabled": false})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "kms_enabled is false")
}

test_missing_attribute_fails if {
	rs := run([cluster("aks", {})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "unset")
}

test_each_cluster_judged_once if {
	rs := run([cluster("a", {"kms_enabled": true}), cluster("b", {"kms_enabled": false})])
	verdicts(rs) == {["a", "pass"], ["b", "fail"]}
	count(rs) == 2
}

test_no_clusters_no_results if {
	count(run([])) == 0
}
