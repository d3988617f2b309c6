"""kubernetes_namespace and kubernetes_network_policy (plain and _v1) -> k8s.namespace and k8s.network_policy
snapshots, the same as their manifests give."""

from __future__ import annotations

from collectors.terraform.mapping._k8s_mapper import kubernetes_mapper

NAMESPACE = kubernetes_mapper(
    "kubernetes_namespace",
    "kubernetes_namespace_v1",
    kind="Namespace",
    api_version="v1",
    snapshot_type="k8s.namespace",
    fields={},
)
NETWORK_POLICY = kubernetes_mapper(
    "kubernetes_network_policy",
    "kubernetes_network_policy_v1",
    kind="NetworkPolicy",
    api_version="networking.k8s.io/v1",
    snapshot_type="k8s.network_policy",
    fields={"spec": "spec"},
)
