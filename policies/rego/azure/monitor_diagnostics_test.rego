package assay.azure.monitor.diagnostics_test

import data.assay.azure.monitor.diagnostics as policy
import rego.v1

params := {"aks_audit_categories": ["kube-audit", "kube-audit-admin", "audit", "allLogs"]}

snapshot(id, type, categories) := {
	"id": id,
	"type": type,
	"attributes": {"name": id, "diagnostic_categories": categories},
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": params}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_aks_audit_log_passes if {
	every category in ["kube-audit", "kube-audit-admin", "allLogs"] {
		verdicts(run([snapshot("aks", "azure.aks.cluster", ["kube-apiserver", category])])) == {["aks", "pass"]}
	}
}

test_aks_without_audit_fails if {
	rs := run([snapshot("aks", "azure.aks.cluster", ["kube-apiserver", "guard"])])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "send guard, kube-apiserver")
	contains(r.message, "kube-audit")
}

test_storage_and_vault_with_logs_pass if {
	rs := run([
		snapshot("sa", "azure.storage.account", ["StorageRead", "StorageWrite"]),
		snapshot("kv", "azure.keyvault.vault", ["AuditEvent"]),
	])
	verdicts(rs) == {["sa", "pass"], ["kv", "pass"]}
	some r in rs
	r.resource == "kv"
	r.message == "diagnostic settings send AuditEvent"
}

test_no_diagnostics_fail if {
	rs := run([
		snapshot("aks", "azure.aks.cluster", []),
		snapshot("sa", "azure.storage.account", []),
		snapshot("kv", "azure.keyvault.vault", []),
	])
	verdicts(rs) == {["aks", "fail"], ["sa", "fail"], ["kv", "fail"]}
	every r in rs {
		contains(r.message, "no diagnostic setting")
	}
}

test_missing_attribute_fails if {
	rs := run([{"id": "kv", "type": "azure.keyvault.vault", "attributes": {"name": "kv"}}])
	verdicts(rs) == {["kv", "fail"]}
}
