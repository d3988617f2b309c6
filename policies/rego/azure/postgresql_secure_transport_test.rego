package assay.azure.postgresql.secure_transport_test

import data.assay.azure.postgresql.secure_transport as policy
import rego.v1

server(configurations) := {
	"id": "pg",
	"type": "azure.postgresql.flexible_server",
	"attributes": {"name": "pg", "configurations": configurations},
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_defaults_pass if {
	rs := run([server({})])
	verdicts(rs) == {["pg", "pass"]}
	some r in rs
	contains(r.message, "by default")
}

test_no_configurations_attribute_passes_on_defaults if {
	bare := {"id": "pg", "type": "azure.postgresql.flexible_server", "attributes": {"name": "pg"}}
	verdicts(run([bare])) == {["pg", "pass"]}
}

test_explicit_settings_pass if {
	rs := run([server({"require_secure_transport": "on", "ssl_min_protocol_version": "TLSv1.3"})])
	verdicts(rs) == {["pg", "pass"]}
}

test_transport_off_fails if {
	rs := run([server({"require_secure_transport": "OFF"})])
	verdicts(rs) == {["pg", "fail"]}
	some r in rs
	contains(r.message, "require_secure_transport is OFF")
}

test_old_protocol_fails if {
	rs := run([server({"ssl_min_protocol_version": "TLSv1.1"})])
	verdicts(rs) == {["pg", "fail"]}
	some r in rs
	contains(r.message, "TLSv1.1")
}

test_both_problems_reported if {
	rs := run([server({"require_secure_transport": "off", "ssl_min_protocol_version": "TLSv1"})])
	verdicts(rs) == {["pg", "fail"]}
	some r in rs
	contains(r.message, "require_secure_transport")
	contains(r.message, "ssl_min_protocol_version")
}

test_non_string_protocol_fails if {
	verdicts(run([server({"ssl_min_protocol_version": 1.2})])) == {["pg", "fail"]}
}
