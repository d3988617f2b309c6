package assay.azure.postgresql.backup_redundancy_test

import data.assay.azure.postgresql.backup_redundancy as policy
import rego.v1

server(attrs) := {
	"id": "pg",
	"type": "azure.postgresql.flexible_server",
	"attributes": object.union({"name": "pg"}, attrs),
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {"min_retention_days": 7}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

good := {"geo_redundant_backup_enabled": true, "backup_retention_days": 35, "create_mode": null}

test_geo_redundant_backups_pass if {
	rs := run([server(good)])
	verdicts(rs) == {["pg", "pass"]}
	some r in rs
	contains(r.message, "35 days")
}

test_local_backups_fail if {
	rs := run([server(object.union(good, {"geo_redundant_backup_enabled": false}))])
	verdicts(rs) == {["pg", "fail"]}
	some r in rs
	contains(r.message, "geo_redundant_backup_enabled")
}

test_short_retention_fails if {
	rs := run([server(object.union(good, {"backup_retention_days": 3}))])
	verdicts(rs) == {["pg", "fail"]}
	some r in rs
	contains(r.message, "3 days; expected at least 7")
}

test_replica_not_applicable if {
	rs := run([server({"create_mode": "Replica", "geo_redundant_backup_enabled": false})])
	verdicts(rs) == {["pg", "not_applicable"]}
}

test_missing_attributes_fail if {
	rs := run([server({})])
	verdicts(rs) == {["pg", "fail"]}
	some r in rs
	contains(r.message, "unset")
}
