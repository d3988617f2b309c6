# METADATA
# title: Storage accounts are not reachable anonymously or from any network
# description: >-
#   Blob containers must not be readable anonymously, and the account must not accept traffic from
#   every network: either public network access is switched off or the firewall denies by default.
# custom:
#   id: azure.storage.no_public_access
#   resource_types: [azure.storage.account]
#   severity: high
package assay.azure.storage.no_public_access

import rego.v1

network_closed(attrs) if attrs.public_network_access_enabled == false

network_closed(attrs) if attrs.network_default_action == "Deny"

problems[acct.id] contains msg if {
	some acct in input.resources
	not acct.attributes.allow_blob_public_access == false
	msg := "allow_blob_public_access is not false, so containers can be made anonymously readable; expected false"
}

problems[acct.id] contains msg if {
	some acct in input.resources
	not network_closed(acct.attributes)
	msg := sprintf(
		"public network access is %v with firewall default action %v; expected public access off or default Deny",
		[
			object.get(acct.attributes, "public_network_access_enabled", "unset"),
			object.get(acct.attributes, "network_default_action", "unset"),
		],
	)
}

results contains {"resource": acct.id, "status": "pass", "message": msg} if {
	some acct in input.resources
	not problems[acct.id]
	msg := "no anonymous blob access, and the network firewall admits only allowed networks"
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
