package assay.azure.network.nsg_admin_ports_closed_test

import data.assay.azure.network.nsg_admin_ports_closed as policy
import rego.v1

nsg(rules) := {"id": "nsg", "type": "azure.network.nsg", "attributes": {"name": "nsg", "security_rules": rules}}

rule(sources, ports) := {
	"name": "r",
	"direction": "Inbound",
	"access": "Allow",
	"protocol": "Tcp",
	"priority": 100,
	"source_address_prefixes": sources,
	"destination_port_ranges": ports,
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"ports": [22, 3389]}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_no_rules_passes if {
	verdicts(run([nsg([])])) == {["nsg", "pass"]}
}

test_internal_source_passes if {
	verdicts(run([nsg([rule(["10.0.0.0/8"], ["22"])])])) == {["nsg", "pass"]}
}

test_https_from_internet_passes if {
	verdicts(run([nsg([rule(["Internet"], ["443", "80"])])])) == {["nsg", "pass"]}
}

test_ssh_from_internet_fails if {
	rs := run([nsg([rule(["Internet"], ["22"])])])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "rule r (priority 100) allows inbound tcp 22 from Internet")
}

test_wildcard_port_and_source_fails if {
	rs := run([nsg([rule(["*"], ["*"])])])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "tcp 22, 3389 from *")
}

test_range_covering_rdp_fails if {
	rs := run([nsg([rule(["0.0.0.0/0"], ["3000-4000"])])])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "tcp 3389")
}

test_range_beside_ports_passes if {
	verdicts(run([nsg([rule(["0.0.0.0/0"], ["23-3388", "3390-65535"])])])) == {["nsg", "pass"]}
}

test_ipv6_any_fails if {
	verdicts(run([nsg([rule(["::/0"], ["22"])])])) == {["nsg", "fail"]}
}

test_deny_rule_passes if {
	verdicts(run([nsg([object.union(rule(["*"], ["22"]), {"access": "Deny"})])])) == {["nsg", "pass"]}
}

test_outbound_rule_passes if {
	verdicts(run([nsg([object.union(rule(["*"], ["22"]), {"direction": "Outbound"})])])) == {["nsg", "pass"]}
}

test_udp_rule_passes if {
	verdicts(run([nsg([object.union(rule(["*"], ["22"]), {"protocol": "Udp"})])])) == {["nsg", "pass"]}
}

test_any_protocol_fails if {
	verdicts(run([nsg([object.union(rule(["Any"], ["22"]), {"protocol": "*"})])])) == {["nsg", "fail"]}
}

test_sparse_rule_uses_defaults_and_fails if {
	sparse := {"source_address_prefixes": ["Internet"], "destination_port_ranges": ["22"]}
	rs := run([nsg([sparse])])
	verdicts(rs) == {["nsg", "fail"]}
	some r in rs
	contains(r.message, "rule #1")
}

test_malformed_port_range_is_ignored if {
	verdicts(run([nsg([rule(["*"], ["ssh"])])])) == {["nsg", "pass"]}
}

test_each_nsg_judged if {
	rs := run([nsg([rule(["*"], ["22"])]), object.union(nsg([]), {"id": "other"})])
	verdicts(rs) == {["nsg", "fail"], ["other", "pass"]}
}
