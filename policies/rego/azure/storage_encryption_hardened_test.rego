package assay.azure.storage.encryption_hardened_test

import data.assay.azure.storage.encryption_hardened as policy
import rego.v1

params := {"cmk_data_categories": ["personal", "cardholder"]}

account(attrs) := {"id": "sa", "type": "azure.storage.account", "attributes": object.union({"name": "sa"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": params}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_double_encryption_without_sensitive_data_passes if {
	rs := run([account({"infrastructure_encryption_enabled": true, "tags": {"data_category": "logs"}})])
	verdicts(rs) == {["sa", "pass"]}
}

test_personal_data_with_customer_key_passes if {
	attrs := {
		"infrastructure_encryption_enabled": true,
		"customer_managed_key": true,
		"tags": {"data_category": "internal, Personal"},
	}
	verdicts(run([account(attrs)])) == {["sa", "pass"]}
}

test_no_infrastructure_encryption_fails if {
	rs := run([account({"infrastructure_encryption_enabled": false})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "infrastructure_encryption_enabled")
}

test_cardholder_data_without_customer_key_fails if {
	rs := run([account({"infrastructure_encryption_enabled": true, "tags": {"data_category": "cardholder"}})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "cardholder")
}

test_both_problems_in_one_verdict if {
	rs := run([account({"tags": {"data_category": "personal"}})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "infrastructure_encryption_enabled")
	contains(r.message, "customer-managed key")
}

test_missing_attributes_fail if {
	verdicts(run([account({})])) == {["sa", "fail"]}
}

test_category_substring_is_not_a_match if {
	attrs := {"infrastructure_encryption_enabled": true, "tags": {"data_category": "nonpersonal"}}
	verdicts(run([account(attrs)])) == {["sa", "pass"]}
}
