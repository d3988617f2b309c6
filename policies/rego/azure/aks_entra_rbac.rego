# METADATA
# title: AKS access goes through Entra ID and Azure RBAC
# description: >-
#   Cluster access must be tied to Entra ID identities and granted with Azure RBAC, so joiners, leavers,
#   MFA and access reviews apply to it. The local admin account bypasses all of that and must be off.
# custom:
#   id: azure.aks.entra_rbac
#   resource_types: [azure.aks.cluster]
#   severity: high
package assay.azure.aks.entra_rbac

import rego.v1

# Each setting the control needs, with the reason it matters when it is missing.
requirements := [
	["rbac_enabled", "Kubernetes RBAC is off"],
	["entra_integrated", "Entra ID integration is off"],
	["azure_rbac_enabled", "Azure RBAC for Kubernetes authorization is off"],
	["local_account_disabled", "the local admin account is enabled"],
]

problems[cluster.id] contains msg if {
	some cluster in input.resources
	some [setting, finding] in requirements
	not object.get(cluster.attributes, setting, null) == true
	msg := sprintf("%s: %s is %v, expected true", [finding, setting, object.get(cluster.attributes, setting, "unset")])
}

results contains {"resource": cluster.id, "status": "pass", "message": msg} if {
	some cluster in input.resources
	not problems[cluster.id]
	msg := "Entra ID sign-in with Azure RBAC; the local admin account is disabled"
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
