# METADATA
# title: Defender for Cloud protects containers, storage, key vaults and databases
# description: >-
#   The Standard tier of the Defender plans for Containers, StorageAccounts, KeyVaults and
#   OpenSourceRelationalDatabases gives threat detection on the platform's clusters, data stores, keys and
#   PostgreSQL servers. Each of those plans must be on Standard; other plans are outside this control.
#   The subscription must have the Containers and StorageAccounts plans at all.
# custom:
#   id: azure.security.defender_plans
#   resource_types: [azure.security.defender_plan]
#   severity: high
#   required: true
#   params:
#     standard_plans: [Containers, StorageAccounts, KeyVaults, OpenSourceRelationalDatabases]
#     required_plans: [Containers, StorageAccounts]
package assay.azure.security.defender_plans

import rego.v1

watched(plan) if lower(plan.attributes.resource_type) in {lower(p) | some p in input.params.standard_plans}

standard(plan) if lower(plan.attributes.tier) == "standard"

results contains {"resource": plan.id, "status": "not_applicable", "message": msg} if {
	some plan in input.resources
	not watched(plan)
	msg := sprintf("the %v plan is outside this control", [object.get(plan.attributes, "resource_type", "unnamed")])
}

results contains {"resource": plan.id, "status": "pass", "message": msg} if {
	some plan in input.resources
	watched(plan)
	standard(plan)
	msg := sprintf("the %s plan is on the Standard tier", [plan.attributes.resource_type])
}

results contains {"resource": plan.id, "status": "fail", "message": msg} if {
	some plan in input.resources
	watched(plan)
	not standard(plan)
	msg := sprintf(
		"the %s plan is on the %v tier, without threat detection; expected Standard",
		[plan.attributes.resource_type, object.get(plan.attributes, "tier", "unset")],
	)
}

present := {lower(plan.attributes.resource_type) | some plan in input.resources}

absent := {p | some p in input.params.required_plans; not lower(p) in present}

results contains {"resource": null, "status": "fail", "message": msg} if {
	count(absent) > 0
	msg := sprintf("no Defender plan found for %s; expected these plans on Standard", [concat(", ", sort(absent))])
}

results contains {"resource": null, "status": "pass", "message": msg} if {
	count(absent) == 0
	msg := sprintf("Defender plans exist for %s", [concat(", ", sort(input.params.required_plans))])
}
