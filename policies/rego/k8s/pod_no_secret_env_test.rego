package assay.k8s.pod.no_secret_env_test

import data.assay.k8s.pod.no_secret_env as policy
import rego.v1

params := {
	"exempt_namespaces": ["kube-system"],
	"secret_name_pattern": `(?i)(password|passwd|secret|token|api_?key|private_?key|credential)`,
	"reference_name_pattern": `(?i)_(file|path|dir|name|arn|ref)$`,
}

pod(ns, env) := {
	"id": "pod",
	"type": "k8s.pod",
	"attributes": {"namespace": ns, "name": "api", "containers": [{"name": "app", "image": "app", "env": env}]},
}

run(resources) := rs if {
	rs := policy.results with input as {"resources": resources, "params": params}
}

verdicts(rs) := {[r.resource, r.status] | some r in rs}

test_secret_reference_passes if {
	env := [{"name": "DB_PASSWORD", "source": "secret"}, {"name": "LOG_LEVEL", "source": "value"}]
	verdicts(run([pod("payments", env)])) == {["pod", "pass"]}
}

test_literal_password_fails if {
	rs := run([pod("payments", [{"name": "DB_PASSWORD", "source": "value"}, {"name": "apiKey", "source": "value"}])])
	verdicts(rs) == {["pod", "fail"]}
	some r in rs
	contains(r.message, "container app sets DB_PASSWORD, apiKey from literal values")
}

test_each_credential_word_matches if {
	every name in ["PASSWD", "client_secret", "AUTH_TOKEN", "API_KEY", "PRIVATE_KEY", "gcp_credentials"] {
		verdicts(run([pod("payments", [{"name": name, "source": "value"}])])) == {["pod", "fail"]}
	}
}

test_reference_names_pass if {
	env := [{"name": "DB_PASSWORD_FILE", "source": "value"}, {"name": "SECRET_NAME", "source": "value"}]
	verdicts(run([pod("payments", env)])) == {["pod", "pass"]}
}

test_config_map_source_passes if {
	verdicts(run([pod("payments", [{"name": "TOKEN_AUDIENCE", "source": "config_map"}])])) == {["pod", "pass"]}
}

test_system_namespace_not_applicable if {
	verdicts(run([pod("kube-system", [{"name": "TOKEN", "source": "value"}])])) == {["pod", "not_applicable"]}
}
