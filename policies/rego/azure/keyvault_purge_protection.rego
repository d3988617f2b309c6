# METADATA
# title: Key Vaults keep deleted keys recoverable
# description: >-
#   Purge protection stops anyone, including an administrator or an attacker holding one's credentials,
#   from permanently erasing a deleted vault or key before its soft-delete retention ends. Losing a key
#   that encrypts data is losing the data.
# custom:
#   id: azure.keyvault.purge_protection
#   resource_types: [azure.keyvault.vault]
#   severity: high
#   params:
#     min_soft_delete_days: 7
package assay.azure.keyvault.purge_protection

import rego.v1

problems[vault.id] contains msg if {
	some vault in input.resources
	not vault.attributes.purge_protection_enabled == true
	msg := "purge protection is off, so a deleted vault or key can be purged at once; expected it on"
}

problems[vault.id] contains msg if {
	some vault in input.resources
	not vault.attributes.soft_delete_retention_days >= input.params.min_soft_delete_days
	msg := sprintf(
		"soft-delete retention is %v days; expected at least %v",
		[
			object.get(vault.attributes, "soft_delete_retention_days", "unset"),
			object.get(input, ["params", "min_soft_delete_days"], "unset"),
		],
	)
}

results contains {"resource": vault.id, "status": "pass", "message": msg} if {
	some vault in input.resources
	not problems[vault.id]
	msg := sprintf(
		"purge protection on; deleted keys stay recoverable for %v days",
		[vault.attributes.soft_delete_retention_days],
	)
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
