# METADATA
# title: AKS API servers are private or limited to known networks
# description: >-
#   The Kubernetes API server is the cluster's control point. It must either have no public endpoint
#   (private cluster) or accept connections only from listed address ranges, none of which is the whole
#   internet.
# custom:
#   id: azure.aks.api_server_restricted
#   resource_types: [azure.aks.cluster]
#   severity: high
package assay.azure.aks.api_server_restricted

import rego.v1

open_ranges := {"0.0.0.0/0", "0.0.0.0", "::/0", "*"}

private(cluster) if cluster.attributes.private_cluster_enabled == true

ranges(cluster) := object.get(cluster.attributes, "authorized_ip_ranges", [])

problems[cluster.id] contains msg if {
	some cluster in input.resources
	not private(cluster)
	count(ranges(cluster)) == 0
	msg := "the API server is public and authorized_ip_ranges is empty; expected a private cluster or authorized ranges"
}

problems[cluster.id] contains msg if {
	some cluster in input.resources
	not private(cluster)
	wide := {r | some r in ranges(cluster); trim_space(r) in open_ranges}
	count(wide) > 0
	msg := sprintf(
		"authorized_ip_ranges includes %s, which admits every address; expected specific ranges",
		[concat(", ", sort(wide))],
	)
}

pass_message(cluster) := "private cluster: the API server has no public endpoint" if {
	private(cluster)
} else := sprintf("public API server limited to %s", [concat(", ", sort(ranges(cluster)))])

results contains {"resource": cluster.id, "status": "pass", "message": pass_message(cluster)} if {
	some cluster in input.resources
	not problems[cluster.id]
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
