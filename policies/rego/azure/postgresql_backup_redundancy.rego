# METADATA
# title: PostgreSQL backups survive a regional outage
# description: >-
#   A primary flexible server must keep its backups geo-redundant (copied to the paired region) and for
#   at least a week, so the database can be restored elsewhere after a regional failure or a bad change.
#   Read replicas take no backups of their own and are not judged.
# custom:
#   id: azure.postgresql.backup_redundancy
#   resource_types: [azure.postgresql.flexible_server]
#   severity: medium
#   params:
#     min_retention_days: 7
package assay.azure.postgresql.backup_redundancy

import rego.v1

replica(server) if {
	mode := server.attributes.create_mode
	is_string(mode)
	lower(mode) == "replica"
}

problems[server.id] contains msg if {
	some server in input.resources
	not replica(server)
	not server.attributes.geo_redundant_backup_enabled == true
	msg := "backups are stored only in the server's own region; expected geo_redundant_backup_enabled true"
}

problems[server.id] contains msg if {
	some server in input.resources
	not replica(server)
	not server.attributes.backup_retention_days >= input.params.min_retention_days
	msg := sprintf(
		"backup retention is %v days; expected at least %v",
		[
			object.get(server.attributes, "backup_retention_days", "unset"),
			object.get(input, ["params", "min_retention_days"], "unset"),
		],
	)
}

results contains {"resource": server.id, "status": "not_applicable", "message": msg} if {
	some server in input.resources
	replica(server)
	msg := "read replica: backups are taken on the primary server"
}

results contains {"resource": server.id, "status": "pass", "message": msg} if {
	some server in input.resources
	not replica(server)
	not problems[server.id]
	msg := sprintf("geo-redundant backups kept %v days", [server.attributes.backup_retention_days])
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
