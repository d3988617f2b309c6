# METADATA
# title: Network security groups do not expose SSH or RDP to the internet
# description: >-
#   An inbound Allow rule whose source is any address ("*", Any, Internet, 0.0.0.0/0, ::/0) and whose
#   destination ports include an administrative port (SSH 22, RDP 3389 by default) lets the whole internet
#   try to log in. Administrative access goes through a bastion or a VPN instead.
# custom:
#   id: azure.network.nsg_admin_ports_closed
#   resource_types: [azure.network.nsg]
#   severity: critical
#   params:
#     ports: [22, 3389]
package assay.azure.network.nsg_admin_ports_closed

import rego.v1

internet_sources := {"*", "any", "internet", "0.0.0.0/0", "0.0.0.0", "::/0"}

# SSH and RDP listen on TCP; "*" includes it.
tcp_protocols := {"*", "tcp"}

# Unset fields take the schema defaults (Inbound, Allow, any protocol), so a sparse rule is still judged.
admits_inbound_tcp(rule) if {
	lower(object.get(rule, "direction", "Inbound")) == "inbound"
	lower(object.get(rule, "access", "Allow")) == "allow"
	lower(object.get(rule, "protocol", "*")) in tcp_protocols
}

covers(port_range, _) if trim_space(port_range) == "*"

covers(port_range, port) if {
	regex.match(`^\s*\d+\s*$`, port_range)
	to_number(trim_space(port_range)) == port
}

covers(port_range, port) if {
	regex.match(`^\s*\d+\s*-\s*\d+\s*$`, port_range)
	[low, high] := split(port_range, "-")
	to_number(trim_space(low)) <= port
	port <= to_number(trim_space(high))
}

exposed_ports(rule) := {port |
	some port in input.params.ports
	some port_range in rule.destination_port_ranges
	covers(port_range, port)
}

internet_prefixes(rule) := {prefix |
	some prefix in rule.source_address_prefixes
	lower(trim_space(prefix)) in internet_sources
}

rule_label(rule, index) := sprintf("%s (priority %v)", [rule.name, object.get(rule, "priority", "unset")]) if {
	is_string(rule.name)
} else := sprintf("#%d", [index + 1])

port_list(ports) := concat(", ", [sprintf("%v", [p]) | some p in sort(ports)])

problems[nsg.id] contains msg if {
	some nsg in input.resources
	some index, rule in nsg.attributes.security_rules
	admits_inbound_tcp(rule)
	ports := exposed_ports(rule)
	count(ports) > 0
	sources := internet_prefixes(rule)
	count(sources) > 0
	msg := sprintf(
		"rule %s allows inbound tcp %s from %s",
		[rule_label(rule, index), port_list(ports), concat(", ", sort(sources))],
	)
}

results contains {"resource": nsg.id, "status": "pass", "message": msg} if {
	some nsg in input.resources
	not problems[nsg.id]
	msg := sprintf(
		"none of %d rules admits the internet to tcp %s",
		[count(nsg.attributes.security_rules), port_list(input.params.ports)],
	)
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf(
		"%s; expected no internet-facing access to tcp %s (use a bastion or VPN)",
		[concat("; ", sort(found)), port_list(object.get(input, ["params", "ports"], []))],
	)
}
