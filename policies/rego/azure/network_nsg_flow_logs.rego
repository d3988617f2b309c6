# METADATA
# title: Network security groups keep flow logs for at least 90 days
# description: >-
#   Flow logs record which connections an NSG allowed or denied; investigators need them for weeks after
#   an incident. A retention of 0 days means the logs are never deleted.
# custom:
#   id: azure.network.nsg_flow_logs
#   resource_types: [azure.network.nsg]
#   severity: medium
#   params:
#     min_retention_days: 90
package assay.azure.network.nsg_flow_logs

import rego.v1

retention_ok(attrs) if attrs.flow_log_retention_days == 0

retention_ok(attrs) if attrs.flow_log_retention_days >= input.params.min_retention_days

retention_text(attrs) := "kept forever (retention 0)" if {
	attrs.flow_log_retention_days == 0
} else := sprintf("kept %v days", [attrs.flow_log_retention_days])

retention_found(attrs) := sprintf("%v days", [attrs.flow_log_retention_days]) if {
	is_number(attrs.flow_log_retention_days)
} else := "not set"

problems[nsg.id] contains msg if {
	some nsg in input.resources
	not nsg.attributes.flow_log_enabled == true
	msg := "no flow log is enabled; expected an enabled NSG flow log"
}

problems[nsg.id] contains msg if {
	some nsg in input.resources
	nsg.attributes.flow_log_enabled == true
	not retention_ok(nsg.attributes)
	msg := sprintf(
		"flow log retention is %s; expected at least %v days, or 0 to keep logs forever",
		[retention_found(nsg.attributes), object.get(input, ["params", "min_retention_days"], "unset")],
	)
}

results contains {"resource": nsg.id, "status": "pass", "message": msg} if {
	some nsg in input.resources
	not problems[nsg.id]
	msg := sprintf("flow log enabled, %s", [retention_text(nsg.attributes)])
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
