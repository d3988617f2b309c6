# METADATA
# title: AKS, storage and Key Vault send their logs to Azure Monitor
# description: >-
#   Diagnostic settings are what make Azure keep a resource's own logs. AKS must export the Kubernetes
#   audit log (kube-audit, kube-audit-admin, or a category group holding them); storage accounts and key
#   vaults must export at least one log category, so data access and key use leave a trail.
# custom:
#   id: azure.monitor.diagnostics
#   resource_types: [azure.aks.cluster, azure.storage.account, azure.keyvault.vault]
#   severity: medium
#   params:
#     aks_audit_categories: [kube-audit, kube-audit-admin, audit, allLogs]
package assay.azure.monitor.diagnostics

import rego.v1

sent(res) := {c | some c in res.attributes.diagnostic_categories}

found_text(res) := sprintf("diagnostic settings send %s", [concat(", ", sort(sent(res)))]) if {
	count(sent(res)) > 0
} else := "no diagnostic setting sends logs"

audit_categories(res) := sent(res) & {c | some c in input.params.aks_audit_categories}

problems[res.id] contains msg if {
	some res in input.resources
	res.type == "azure.aks.cluster"
	count(audit_categories(res)) == 0
	msg := sprintf("%s; expected the Kubernetes audit log (kube-audit or kube-audit-admin)", [found_text(res)])
}

problems[res.id] contains msg if {
	some res in input.resources
	res.type != "azure.aks.cluster"
	count(sent(res)) == 0
	msg := sprintf("%s; expected at least one log category exported", [found_text(res)])
}

results contains {"resource": res.id, "status": "pass", "message": found_text(res)} if {
	some res in input.resources
	not problems[res.id]
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
