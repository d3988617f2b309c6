# METADATA
# title: Containers run as non-root with a locked-down security context
# description: >-
#   Every container, init containers included, must run as a non-root user (set on the container or
#   inherited from the pod), forbid privilege escalation, mount its root file system read-only and drop
#   all Linux capabilities. An unset allowPrivilegeEscalation counts as allowed, as Kubernetes treats it.
# custom:
#   id: k8s.pod.hardened_security_context
#   resource_types: [k8s.pod]
#   severity: high
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
package assay.k8s.pod.hardened_security_context

import data.assay.lib.k8s
import rego.v1

# The container's own runAsNonRoot wins; when it is unset the pod-level value applies.
default non_root(_, _) := false

non_root(_, c) if c.run_as_non_root == true

non_root(pod, c) if {
	object.get(c, "run_as_non_root", null) == null
	pod.attributes.run_as_non_root == true
}

default no_escalation(_) := false

no_escalation(c) if c.allow_privilege_escalation == false

default read_only_root(_) := false

read_only_root(c) if c.read_only_root_filesystem == true

default drops_all(_) := false

drops_all(c) if "ALL" in {upper(cap) | some cap in c.capabilities_drop}

gaps(pod, c) := {setting |
	some [setting, ok] in [
		["runAsNonRoot: true", non_root(pod, c)],
		["allowPrivilegeEscalation: false", no_escalation(c)],
		["readOnlyRootFilesystem: true", read_only_root(c)],
		["capabilities.drop: [ALL]", drops_all(c)],
	]
	not ok
}

problems[pod.id] contains msg if {
	some pod in input.resources
	not k8s.exempt(pod)
	some c in pod.attributes.containers
	missing := gaps(pod, c)
	count(missing) > 0
	msg := sprintf("%s lacks %s", [k8s.container_label(c), concat(", ", sort(missing))])
}

results contains k8s.not_applicable(pod) if {
	some pod in input.resources
	k8s.exempt(pod)
}

results contains {"resource": pod.id, "status": "pass", "message": msg} if {
	some pod in input.resources
	not k8s.exempt(pod)
	not problems[pod.id]
	msg := sprintf(
		"all %d containers run as non-root, without escalation, read-only, with all capabilities dropped",
		[count(pod.attributes.containers)],
	)
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf("%s; expected each setting on every container", [concat("; ", sort(found))])
}
