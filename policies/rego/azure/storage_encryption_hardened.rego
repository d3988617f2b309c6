# METADATA
# title: Storage accounts use infrastructure encryption, and customer keys for sensitive data
# description: >-
#   Infrastructure encryption adds a second, independent AES-256 layer beneath the service-level
#   encryption. Accounts tagged as holding personal or cardholder data (tag data_category) must also be
#   encrypted with a customer-managed key, so the organisation can revoke access to the data at rest.
# custom:
#   id: azure.storage.encryption_hardened
#   resource_types: [azure.storage.account]
#   severity: high
#   params:
#     cmk_data_categories: [personal, cardholder]
package assay.azure.storage.encryption_hardened

import rego.v1

categories(acct) := {trim_space(lower(c)) |
	some c in split(object.get(acct.attributes, ["tags", "data_category"], ""), ",")
}

sensitive(acct) := categories(acct) & {lower(c) | some c in input.params.cmk_data_categories}

problems[acct.id] contains msg if {
	some acct in input.resources
	not acct.attributes.infrastructure_encryption_enabled == true
	msg := "infrastructure_encryption_enabled is not true; expected double encryption at rest"
}

problems[acct.id] contains msg if {
	some acct in input.resources
	count(sensitive(acct)) > 0
	not acct.attributes.customer_managed_key == true
	msg := sprintf(
		"data_category includes %s but no customer-managed key is configured; expected a Key Vault key",
		[concat(", ", sort(sensitive(acct)))],
	)
}

pass_message(acct) := "infrastructure encryption on and a customer-managed key protects the sensitive data" if {
	count(sensitive(acct)) > 0
} else := "infrastructure encryption on; no personal or cardholder data_category, so a platform key suffices"

results contains {"resource": acct.id, "status": "pass", "message": pass_message(acct)} if {
	some acct in input.resources
	not problems[acct.id]
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
