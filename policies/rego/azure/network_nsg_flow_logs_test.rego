package assay.azure.network.nsg_flow_logs_test

import data.assay.azure.network.nsg_flow_logs as policy
import rego.v1

nsg(attrs) := {"id": "nsg", "type": "azure.network.nsg", "attributes": object.union({"name": "nsg"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"min_retention_days": 90}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_ninety_days_passes if {
	rs := run([nsg({"flow_log_enabled": true, "flow_log_retention_days": 90})])
	verdicts(rs) == {["nsg", "pass"]}
	some r in rs
	contains(r.message, "kept 90 days")
}

test_zero_means_forever_and_passes if {
	rs := run([nsg({"flow_log_enabled": true, "flow_log_retention_days": 0})])
	verdicts(rs) == {["nsg", "pass"]}
	some r in rs
	contains(r.message, "forever")
}

test_no_flow_log_fails if {
	rs := run([nsg({"flow_log_enabled": false, "flow_log_retention_days": null})])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "no flow log")
}

test_short_retention_fails if {
	rs := run([nsg({"flow_log_enabled": true, "flow_log_retention_days": 30})])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "30 days; expected at least 90")
}

test_unset_retention_fails if {
	rs := run([nsg({"flow_log_enabled": true, "flow_log_retention_days": null})])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "retention is not set")
}

test_missing_attributes_fail if {
	verdicts(run([nsg({})])) == {["nsg", "fail"]}
}
