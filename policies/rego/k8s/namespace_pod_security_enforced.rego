# METADATA
# title: Namespaces enforce the restricted Pod Security Standard
# description: >-
#   Pod Security Admission rejects pods that break the standard named by the namespace label
#   pod-security.kubernetes.io/enforce. Application namespaces must enforce "restricted", which forbids
#   privileged pods, host namespaces, root users and privilege escalation.
# custom:
#   id: k8s.namespace.pod_security_enforced
#   resource_types: [k8s.namespace]
#   severity: high
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
package assay.k8s.namespace.pod_security_enforced

import data.assay.lib.k8s
import rego.v1

enforce_label := "pod-security.kubernetes.io/enforce"

level(ns) := object.get(ns.attributes, ["labels", enforce_label], null)

results contains k8s.not_applicable(ns) if {
	some ns in input.resources
	k8s.exempt(ns)
}

results contains {"resource": ns.id, "status": "pass", "message": msg} if {
	some ns in input.resources
	not k8s.exempt(ns)
	level(ns) == "restricted"
	msg := "pod security admission enforces the restricted standard"
}

results contains {"resource": ns.id, "status": "fail", "message": msg} if {
	some ns in input.resources
	not k8s.exempt(ns)
	level(ns) == null
	msg := sprintf("no %s label, so any pod is admitted; expected restricted", [enforce_label])
}

results contains {"resource": ns.id, "status": "fail", "message": msg} if {
	some ns in input.resources
	not k8s.exempt(ns)
	not level(ns) in {null, "restricted"}
	msg := sprintf("%s is %v; expected restricted", [enforce_label, level(ns)])
}
