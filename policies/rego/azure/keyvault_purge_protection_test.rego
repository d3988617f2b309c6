package assay.azure.keyvault.purge_protection_test

import data.assay.azure.keyvault.purge_protection as policy
import rego.v1

vault(attrs) := {"id": "kv", "type": "azure.keyvault.vault", "attributes": object.union({"name": "kv"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"min_soft_delete_days": 7}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_protected_vault_passes if {
	rs := run([vault({"purge_protection_enabled": true, "soft_delete_retention_days": 90})])
	verdicts(rs) == {["kv", "pass"]}
	some r in rs
	contains(r.message, "90 days")
}

test_minimum_retention_passes if {
	verdicts(run([vault({"purge_protection_enabled": true, "soft_delete_retention_days": 7})])) == {["kv", "pass"]}
}

test_no_purge_protection_fails if {
	rs := run([vault({"purge_protection_enabled": false, "soft_delete_retention_days": 90})])
	verdicts(rs) == {["kv", "fail"]}
	some r in rs
	contains(r.message, "purge protection is off")
}

test_short_retention_fails if {
	rs := run([vault({"purge_protection_enabled": true, "soft_delete_retention_days": 3})])
	verdicts(rs) == {["kv", "fail"]}
	some r in rs
	contains(r.message, "3 days; expected at least 7")
}

test_missing_attributes_fail if {
	rs := run([vault({})])
	verdicts(rs) == {["kv", "fail"]}
	some r in rs
	contains(r.message, "unset")
}

test_missing_threshold_fails_rather_than_passes if {
	attrs := {"purge_protection_enabled": true, "soft_delete_retention_days": 90}
	rs := policy.results with input as {"resources": [vault(attrs)], "params": {}}
	verdicts(rs) == {["kv", "fail"]}
	some r in rs
	contains(r.message, "expected at least unset")
}
