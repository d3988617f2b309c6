package assay.azure.security.defender_plans_test

import data.assay.azure.security.defender_plans as policy
import rego.v1

params := {
	"standard_plans": ["Containers", "StorageAccounts", "KeyVaults", "OpenSourceRelationalDatabases"],
	"required_plans": ["Containers", "StorageAccounts"],
}

plan(name, tier) := {
	"id": name,
	"type": "azure.security.defender_plan",
	"attributes": {"resource_type": name, "tier": tier},
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": params}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_standard_required_plans_pass if {
	rs := run([plan("Containers", "Standard"), plan("StorageAccounts", "Standard")])
	verdicts(rs) == {["Containers", "pass"], ["StorageAccounts", "pass"], [null, "pass"]}
}

test_free_tier_fails if {
	rs := run([plan("Containers", "Free"), plan("StorageAccounts", "Standard"), plan("KeyVaults", "Free")])
	verdicts(rs) == {["Containers", "fail"], ["StorageAccounts", "pass"], ["KeyVaults", "fail"], [null, "pass"]}
	some r in rs
	r.resource == "KeyVaults"
	contains(r.message, "Free tier")
}

test_other_plans_not_applicable if {
	rs := run([plan("Containers", "Standard"), plan("StorageAccounts", "Standard"), plan("VirtualMachines", "Free")])
	verdicts(rs) == {
		["Containers", "pass"],
		["StorageAccounts", "pass"],
		["VirtualMachines", "not_applicable"],
		[null, "pass"],
	}
}

test_missing_required_plan_fails_population if {
	rs := run([plan("Containers", "Standard")])
	verdicts(rs) == {["Containers", "pass"], [null, "fail"]}
	some r in rs
	r.resource == null
	contains(r.message, "no Defender plan found for StorageAccounts")
}

test_tier_compared_case_insensitively if {
	verdicts(run([plan("containers", "standard")])) == {["containers", "pass"], [null, "fail"]}
}

test_missing_tier_fails if {
	rs := run([{"id": "c", "type": "azure.security.defender_plan", "attributes": {"resource_type": "Containers"}}])
	verdicts(rs) == {["c", "fail"], [null, "fail"]}
}
