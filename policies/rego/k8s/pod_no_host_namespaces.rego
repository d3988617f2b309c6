# METADATA
# title: Pods share no host namespaces and mount no host paths
# description: >-
#   hostNetwork, hostPID and hostIPC put a pod inside the node's own network, process and IPC namespaces,
#   and hostPath volumes expose the node's file system; each is a short path from a compromised pod to
#   the node. Application pods use none of them.
# custom:
#   id: k8s.pod.no_host_namespaces
#   resource_types: [k8s.pod]
#   severity: high
#   params:
#     exempt_namespaces: [kube-system, kube-public, kube-node-lease]
package assay.k8s.pod.no_host_namespaces

import data.assay.lib.k8s
import rego.v1

host_flags := {"host_network": "hostNetwork", "host_pid": "hostPID", "host_ipc": "hostIPC"}

problems[pod.id] contains msg if {
	some pod in input.resources
	not k8s.exempt(pod)
	some attr, field in host_flags
	pod.attributes[attr] == true
	msg := sprintf("%s is true", [field])
}

problems[pod.id] contains msg if {
	some pod in input.resources
	not k8s.exempt(pod)
	paths := object.get(pod.attributes, "host_path_volumes", [])
	count(paths) > 0
	msg := sprintf("mounts host paths %s", [concat(", ", sort(paths))])
}

results contains k8s.not_applicable(pod) if {
	some pod in input.resources
	k8s.exempt(pod)
}

results contains {"resource": pod.id, "status": "pass", "message": msg} if {
	some pod in input.resources
	not k8s.exempt(pod)
	not problems[pod.id]
	msg := "no host network, PID or IPC namespace and no hostPath volume"
}

results contains {"resource": id, "status": "fail", "message": msg} if {
	some id, found in problems
	msg := sprintf("%s; expected none of the host's namespaces or paths", [concat("; ", sort(found))])
}
