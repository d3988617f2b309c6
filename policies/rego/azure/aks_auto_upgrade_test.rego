package assay.azure.aks.auto_upgrade_test

import data.assay.azure.aks.auto_upgrade as policy
import rego.v1

cluster(attrs) := {"id": "aks", "type": "azure.aks.cluster", "attributes": object.union({"name": "aks"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_channels_pass if {
	every channel in ["patch", "stable", "rapid", "node-image"] {
		verdicts(run([cluster({"automatic_upgrade_channel": channel})])) == {["aks", "pass"]}
	}
}

test_none_fails if {
	rs := run([cluster({"automatic_upgrade_channel": "none"})])
	verdicts(rs) == {["aks", "fail"]}
	some r in rs
	contains(r.message, "automatic_upgrade_channel is none")
}

test_unset_fails if {
	every attrs in [{"automatic_upgrade_channel": null}, {}] {
		rs := run([cluster(attrs)])
		verdicts(rs) == {["aks", "fail"]}
		some r in rs
		contains(r.message, "automatic_upgrade_channel is not set")
	}
}
