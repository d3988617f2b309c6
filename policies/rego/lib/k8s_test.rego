package assay.lib.k8s_test

import data.assay.lib.k8s
import rego.v1

params := {"exempt_namespaces": ["kube-system", "kube-public"]}

pod(ns) := {"id": "pod", "type": "k8s.pod", "attributes": {"namespace": ns, "name": "p"}}

namespace(name) := {"id": "ns", "type": "k8s.namespace", "attributes": {"name": name}}

test_pod_in_system_namespace_is_exempt if {
	k8s.exempt(pod("kube-system")) with input as {"params": params}
}

test_pod_in_app_namespace_is_not_exempt if {
	not k8s.exempt(pod("payments")) with input as {"params": params}
}

test_namespace_snapshot_uses_its_own_name if {
	k8s.exempt(namespace("kube-public")) with input as {"params": params}
	not k8s.exempt(namespace("payments")) with input as {"params": params}
}

test_nothing_is_exempt_without_params if {
	not k8s.exempt(pod("kube-system")) with input as {"resources": []}
}

test_snapshot_without_namespace_is_judged if {
	not k8s.exempt({"id": "x", "type": "k8s.pod", "attributes": {}}) with input as {"params": params}
}

test_not_applicable_names_the_namespace if {
	r := k8s.not_applicable(pod("kube-system"))
	r.resource == "pod"
	r.status == "not_applicable"
	contains(r.message, "kube-system")
}

test_container_labels if {
	k8s.container_label({"name": "app", "init": false}) == "container app"
	k8s.container_label({"name": "app"}) == "container app"
	k8s.container_label({"name": "migrate", "init": true}) == "init container migrate"
}
