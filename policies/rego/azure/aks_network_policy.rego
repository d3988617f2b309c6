# METADATA
# title: AKS clusters enforce Kubernetes network policies
# description: >-
#   NetworkPolicy objects only take effect when the cluster runs a network policy engine (Azure, Calico
#   or Cilium). Without one, every pod can reach every other pod whatever the manifests say.
# custom:
#   id: azure.aks.network_policy
#   resource_types: [azure.aks.cluster]
#   severity: high
package assay.azure.aks.network_policy

import rego.v1

engines := {"azure", "calico", "cilium"}

enforcing(cluster) if {
	engine := cluster.attributes.network_policy
	is_string(engine)
	lower(engine) in engines
}

found(cluster) := cluster.attributes.network_policy if is_string(cluster.attributes.network_policy)

else := "not set"

results contains {"resource": cluster.id, "status": "pass", "message": msg} if {
	some cluster in input.resources
	enforcing(cluster)
	msg := sprintf("network policies enforced by %s", [cluster.attributes.network_policy])
}

results contains {"resource": cluster.id, "status": "fail", "message": msg} if {
	some cluster in input.resources
	not enforcing(cluster)
	msg := sprintf(
		"network_policy is %s, so NetworkPolicy objects are not enforced; expected azure, calico or cilium",
		[found(cluster)],
	)
}
