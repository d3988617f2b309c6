package assay.azure.storage.no_public_access_test

import data.assay.azure.storage.no_public_access as policy
import rego.v1

account(attrs) := {"id": "sa", "type": "azure.storage.account", "attributes": object.union({"name": "sa"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

closed := {"allow_blob_public_access": false, "public_network_access_enabled": true, "network_default_action": "Deny"}

test_firewall_deny_passes if {
	verdicts(run([account(closed)])) == {["sa", "pass"]}
}

test_public_network_off_passes if {
	attrs := object.union(closed, {"public_network_access_enabled": false, "network_default_action": "Allow"})
	verdicts(run([account(attrs)])) == {["sa", "pass"]}
}

test_anonymous_blob_access_fails if {
	rs := run([account(object.union(closed, {"allow_blob_public_access": true}))])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "allow_blob_public_access")
}

test_open_network_fails if {
	rs := run([account(object.union(closed, {"network_default_action": "Allow"}))])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "default action Allow")
}

test_missing_attributes_fail if {
	rs := run([account({})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "unset")
}
