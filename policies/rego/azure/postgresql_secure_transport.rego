# METADATA
# title: PostgreSQL flexible servers require TLS 1.2 or newer
# description: >-
#   Flexible servers enforce encrypted connections (require_secure_transport ON) and TLS 1.2 as the
#   minimum by default, so an unset server parameter is compliant; turning enforcement off or lowering the
#   minimum protocol lets clients talk to the database unencrypted or over weak TLS.
# custom:
#   id: azure.postgresql.secure_transport
#   resource_types: [azure.postgresql.flexible_server]
#   severity: high
package assay.azure.postgresql.secure_transport

import rego.v1

switched_off := {"off", "false", "0", "no"}

accepted_protocols := {"tlsv1.2", "tlsv1.3"}

accepted(protocol) if {
	is_string(protocol)
	lower(protocol) in accepted_protocols
}

configuration(server, name) := object.get(server.attributes, ["configurations", name], null)

problems[server.id] contains msg if {
	some server in input.resources
	value := configuration(server, "require_secure_transport")
	is_string(value)
	lower(value) in switched_off
	msg := sprintf("require_secure_transport is %s, so clients may connect unencrypted; expected ON", [value])
}

problems[server.id] contains msg if {
	some server in input.resources
	value := configuration(server, "ssl_min_protocol_version")
	value != null
	not accepted(value)
	msg := sprintf("ssl_min_protocol_version is %v; expected TLSv1.2 or TLSv1.3", [value])
}

results contains {"resource": server.id, "status": "pass", "message": msg} if {
	some server in input.resources
	not problems[server.id]
	msg := sprintf(
		"TLS required (require_secure_transport %s), minimum protocol %s",
		[
			object.get(server.attributes, ["configurations", "require_secure_transport"], "ON by default"),
			object.get(server.attributes, ["configurations", "ssl_min_protocol_version"], "TLSv1.2 by default"),
		],
	)
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
