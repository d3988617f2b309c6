# METADATA
# title: Container images are pinned by digest
# description: >-
#   A tag such as :1.4 or :latest can be moved to different image content at any time; only a digest
#   (image@sha256:...) names exactly the image that was built, scanned and approved.
# custom:
#   id: k8s.pod.image_pinned
#   resource_types: [k8s.pod]
#   severity: medium
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
package assay.k8s.pod.image_pinned

import data.assay.lib.k8s
import rego.v1

pinned(c) if contains(c.image, "@sha256:")

problems[pod.id] contains msg if {
	some pod in input.resources
	not k8s.exempt(pod)
	some c in pod.attributes.containers
	not pinned(c)
	msg := sprintf("%s uses %v", [k8s.container_label(c), object.get(c, "image", "no image")])
}

results contains k8s.not_applicable(pod) if {
	some pod in input.resources
	k8s.exempt(pod)
}

results contains {"resource": pod.id, "status": "pass", "message": msg} if {
	some pod in input.resources
	not k8s.exempt(pod)
	not problems[pod.id]
	msg := sprintf("all %d container images are pinned by sha256 digest", [count(pod.attributes.containers)])
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf("%s; expected image@sha256:<digest>", [concat("; ", sort(found))])
}
