# METADATA
# title: Pods run no privileged containers
# description: >-
#   A privileged container has every capability and the host's devices; escaping it to the node is
#   trivial. No application container, init containers included, may run privileged.
# custom:
#   id: k8s.pod.no_privileged
#   resource_types: [k8s.pod]
#   severity: critical
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
package assay.k8s.pod.no_privileged

import data.assay.lib.k8s
import rego.v1

problems[pod.id] contains msg if {
	some pod in input.resources
	not k8s.exempt(pod)
	some c in pod.attributes.containers
	c.privileged == true
	msg := sprintf("%s runs privileged", [k8s.container_label(c)])
}

results contains k8s.not_applicable(pod) if {
	some pod in input.resources
	k8s.exempt(pod)
}

results contains {"resource": pod.id, "status": "pass", "message": msg} if {
	some pod in input.resources
	not k8s.exempt(pod)
	not problems[pod.id]
	msg := sprintf("none of %d containers is privileged", [count(pod.attributes.containers)])
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf("%s; expected securityContext.privileged false", [concat("; ", sort(found))])
}
