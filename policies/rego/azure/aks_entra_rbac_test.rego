package assay.azure.aks.entra_rbac_test

import data.assay.azure.aks.entra_rbac as policy
import rego.v1

cluster(attrs) := {"id": "aks", "type": "azure.aks.cluster", "attributes": object.union({"name": "aks"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

good := {
	"rbac_enabled": true,
	"entra_integrated": true,
	"azure_rbac_enabled": true,
	"local_account_disabled": true,
}

test_fully_integrated_passes if {
	verdicts(run([cluster(good)])) == {["aks", "pass"]}
}

test_each_missing_setting_fails if {
	every setting, _ in good {
		rs := run([cluster(object.union(good, {setting: false}))])
		verdicts(rs) == {["aks", "fail"]}
		some r in rs
		contains(r.message, sprintf("%s is false", [setting]))
	}
}

test_local_account_message if {
	rs := run([cluster(object.union(good, {"local_account_disabled": false}))])
	some r in rs
	contains(r.message, "local admin account is enabled")
}

test_missing_attributes_fail_with_every_finding if {
	rs := run([cluster({})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	count(split(r.message, "; ")) == 4
}
