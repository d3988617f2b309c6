package assay.azure.storage.secure_transfer_test

import data.assay.azure.storage.secure_transfer as policy
import rego.v1

account(attrs) := {"id": "sa", "type": "azure.storage.account", "attributes": object.union({"name": "sa"}, attrs)}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": {}}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_tls12_https_passes if {
	rs := run([account({"min_tls_version": "TLS1_2", "https_only": true})])
	verdicts(rs) == {["sa", "pass"]}
	some r in rs
	contains(r.message, "TLS1_2")
}

test_tls13_passes if {
	verdicts(run([account({"min_tls_version": "TLS1_3", "https_only": true})])) == {["sa", "pass"]}
}

test_old_tls_fails if {
	rs := run([account({"min_tls_version": "TLS1_0", "https_only": true})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "min_tls_version is TLS1_0")
}

test_plain_http_fails if {
	rs := run([account({"min_tls_version": "TLS1_2", "https_only": false})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "https_only")
}

test_missing_attributes_fail if {
	rs := run([account({})])
	verdicts(rs) == {["sa", "fail"]}
	some r in rs
	contains(r.message, "unset")
	contains(r.message, "https_only")
}
