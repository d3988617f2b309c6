# METADATA
# title: Secrets are not written into container environment variables
# description: >-
#   An environment variable named like a credential (password, secret, token, API key, private key,
#   credential) must come from a Secret reference, not a literal value in the manifest, where it ends up in
#   Git, in CI logs and in every copy of the pod spec. Names that point at a secret rather than hold one
#   (ending in _FILE, _PATH, _DIR, _NAME, _ARN, _REF) are ignored. Only names and sources are read.
# custom:
#   id: k8s.pod.no_secret_env
#   resource_types: [k8s.pod]
#   severity: high
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
#     secret_name_pattern: '(?i)(password|passwd|secret|token|api_?key|private_?key|credential)'
#     reference_name_pattern: '(?i)_(file|path|dir|name|arn|ref)$'
package assay.k8s.pod.no_secret_env

import data.assay.lib.k8s
import rego.v1

secret_like(name) if {
	regex.match(input.params.secret_name_pattern, name)
	not regex.match(input.params.reference_name_pattern, name)
}

problems[pod.id] contains msg if {
	some pod in input.resources
	not k8s.exempt(pod)
	some c in pod.attributes.containers
	literal := {e.name | some e in c.env; e.source == "value"; secret_like(e.name)}
	count(literal) > 0
	msg := sprintf("%s sets %s from literal values", [k8s.container_label(c), concat(", ", sort(literal))])
}

results contains k8s.not_applicable(pod) if {
	some pod in input.resources
	k8s.exempt(pod)
}

results contains {"resource": pod.id, "status": "pass", "message": msg} if {
	some pod in input.resources
	not k8s.exempt(pod)
	not problems[pod.id]
	msg := "no environment variable named like a credential carries a literal value"
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf("%s; expected secretKeyRef or a mounted Secret", [concat("; ", sort(found))])
}
