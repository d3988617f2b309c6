# METADATA
# title: AKS clusters upgrade Kubernetes automatically
# description: >-
#   An automatic upgrade channel (patch, stable, rapid or node-image) keeps the cluster on supported,
#   patched Kubernetes versions without relying on someone remembering to upgrade.
# custom:
#   id: azure.aks.auto_upgrade
#   resource_types: [azure.aks.cluster]
#   severity: medium
package assay.azure.aks.auto_upgrade

import rego.v1

upgrading(cluster) if {
	channel := cluster.attributes.automatic_upgrade_channel
	is_string(channel)
	not lower(channel) in {"", "none"}
}

found(cluster) := channel if {
	channel := cluster.attributes.automatic_upgrade_channel
	is_string(channel)
} else := "not set"

results contains {"resource": cluster.id, "status": "pass", "message": msg} if {
	some cluster in input.resources
	upgrading(cluster)
	msg := sprintf("automatic upgrade channel %s", [cluster.attributes.automatic_upgrade_channel])
}

results contains {"resource": cluster.id, "status": "fail", "message": msg} if {
	some cluster in input.resources
	not upgrading(cluster)
	msg := sprintf(
		"automatic_upgrade_channel is %s, so upgrades are manual; expected patch, stable, rapid or node-image",
		[found(cluster)],
	)
}
