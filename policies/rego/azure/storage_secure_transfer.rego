# METADATA
# title: Storage accounts accept only HTTPS with TLS 1.2 or newer
# description: >-
#   Data sent to a storage account must not cross the network in clear text or over broken TLS
#   versions: the account must refuse plain HTTP and negotiate at least TLS 1.2.
# custom:
#   id: azure.storage.secure_transfer
#   resource_types: [azure.storage.account]
#   severity: high
package assay.azure.storage.secure_transfer

import rego.v1

accepted_tls := {"TLS1_2", "TLS1_3"}

problems[acct.id] contains msg if {
	some acct in input.resources
	not acct.attributes.min_tls_version in accepted_tls
	msg := sprintf(
		"min_tls_version is %v; expected TLS1_2 or TLS1_3",
		[object.get(acct.attributes, "min_tls_version", "unset")],
	)
}

problems[acct.id] contains msg if {
	some acct in input.resources
	not acct.attributes.https_only == true
	msg := "https_only is not true, so plain HTTP requests are accepted; expected HTTPS only"
}

results contains {"resource": acct.id, "status": "pass", "message": msg} if {
	some acct in input.resources
	not problems[acct.id]
	msg := sprintf("HTTPS only, minimum TLS version %s", [acct.attributes.min_tls_version])
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
