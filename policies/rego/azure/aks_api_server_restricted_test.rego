package assay.azure.aks.api_server_restricted_test

import data.assay.azure.aks.api_server_restricted as policy
import rego.v1

cluster(attrs) := {"id": "aks", "type": "azure.aks.cluster", "attributes": object.union({"name": "aks"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_private_cluster_passes if {
	rs := run([cluster({"private_cluster_enabled": true, "authorized_ip_ranges": []})])
	verdicts(rs) == {["aks", "pass"]}
	some r in rs
	contains(r.message, "private cluster")
}

test_authorized_ranges_pass if {
	rs := run([cluster({"private_cluster_enabled": false, "authorized_ip_ranges": ["203.0.113.0/24"]})])
	verdicts(rs) == {["aks", "pass"]}
	some r in rs
	contains(r.message, "203.0.113.0/24")
}

test_public_without_ranges_fails if {
	rs := run([cluster({"private_cluster_enabled": false, "authorized_ip_ranges": []})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "authorized_ip_ranges is empty")
}

test_open_range_fails if {
	rs := run([cluster({"private_cluster_enabled": false, "authorized_ip_ranges": ["10.0.0.0/8", "0.0.0.0/0"]})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "includes 0.0.0.0/0")
}

test_missing_attributes_fail if {
	verdicts(run([cluster({})])) == {["aks", "fail"]}
}
