"""What a cluster's API server holds after `kubectl apply` of a manifest directory.

Each applied object gets the fields the server adds (uid, resourceVersion, creationTimestamp, the
last-applied annotation, defaults); Deployments get their running Pods, named and owned the way a
ReplicaSet makes them; every namespace gets its `default` ServiceAccount; and kube-system holds what a
managed cluster ships with: CoreDNS, the cluster-admin binding to system:masters, the system: roles.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assay.standins.k8s_system import system_objects

CREATED = "2026-11-12T08:30:00Z"
NODES = ("aks-system-30918472-vmss000000", "aks-workloads-30918472-vmss000001")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
NAMESPACE_LABEL = "kubernetes.io/metadata.name"
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


@dataclass(frozen=True)
class Resource:
    kind: str
    api_version: str
    namespaced: bool


# LIST path -> what it lists
RESOURCES: dict[str, Resource] = {
    "/api/v1/namespaces": Resource("Namespace", "v1", False),
    "/api/v1/pods": Resource("Pod", "v1", True),
    "/api/v1/serviceaccounts": Resource("ServiceAccount", "v1", True),
    "/api/v1/secrets": Resource("Secret", "v1", True),
    "/apis/apps/v1/deployments": Resource("Deployment", "apps/v1", True),
    "/apis/apps/v1/statefulsets": Resource("StatefulSet", "apps/v1", True),
    "/apis/apps/v1/daemonsets": Resource("DaemonSet", "apps/v1", True),
    "/apis/batch/v1/jobs": Resource("Job", "batch/v1", True),
    "/apis/batch/v1/cronjobs": Resource("CronJob", "batch/v1", True),
    "/apis/rbac.authorization.k8s.io/v1/roles": Resource("Role", "rbac.authorization.k8s.io/v1", True),
    "/apis/rbac.authorization.k8s.io/v1/clusterroles": Resource(
        "ClusterRole", "rbac.authorization.k8s.io/v1", False
    ),
    "/apis/rbac.authorization.k8s.io/v1/rolebindings": Resource(
        "RoleBinding", "rbac.authorization.k8s.io/v1", True
    ),
    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings": Resource(
        "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", False
    ),
    "/apis/networking.k8s.io/v1/networkpolicies": Resource("NetworkPolicy", "networking.k8s.io/v1", True),
}
_BY_KIND = {r.kind: r for r in RESOURCES.values()}


def _digest(*parts: str, length: int = 10) -> str:
    """Stable lower-case alphanumerics, standing in for the hashes and random suffixes Kubernetes uses."""
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    number = int(hashlib.sha256("/".join(parts).encode()).hexdigest(), 16)
    out = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


@dataclass
class Cluster:
    """Objects by kind, in creation order; `resource_version` is the store's current version."""

    objects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    resource_version: int = 1000

    def add(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Store `obj` with the fields the API server sets on create."""
        kind = str(obj["kind"])
        stored = copy.deepcopy(obj)
        meta = stored.setdefault("metadata", {})
        if _BY_KIND[kind].namespaced:
            meta.setdefault("namespace", "default")
        self.resource_version += 1
        meta["uid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}/{meta.get('namespace')}/{meta['name']}"))
        meta["resourceVersion"] = str(self.resource_version)
        meta.setdefault("creationTimestamp", CREATED)
        self.objects.setdefault(kind, []).append(stored)
        return stored

    def apply(self, obj: dict[str, Any]) -> dict[str, Any]:
        """`kubectl apply`: the object, with the applied manifest kept in the last-applied annotation."""
        applied = copy.deepcopy(obj)
        annotations = applied.setdefault("metadata", {}).setdefault("annotations", {})
        annotations[LAST_APPLIED] = json.dumps(obj, sort_keys=True, separators=(",", ":")) + "\n"
        return self.add(applied)

    def items(self, kind: str) -> list[dict[str, Any]]:
        return self.objects.get(kind, [])


def _pod_spec(template_spec: dict[str, Any], node: str) -> dict[str, Any]:
    """A pod template's spec with the defaults admission and the scheduler add."""
    spec = copy.deepcopy(template_spec)
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec.update(serviceAccountName=account, serviceAccount=account, nodeName=node)
    for key, value in (
        ("restartPolicy", "Always"),
        ("dnsPolicy", "ClusterFirst"),
        ("schedulerName", "default-scheduler"),
        ("terminationGracePeriodSeconds", 30),
        ("securityContext", {}),
        ("enableServiceLinks", True),
        ("preemptionPolicy", "PreemptLowerPriority"),
        ("priority", 0),
    ):
        spec.setdefault(key, value)
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        container.setdefault("imagePullPolicy", "IfNotPresent")
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        container.setdefault("terminationMessagePolicy", "File")
        container.setdefault("resources", {})
    if spec.get("automountServiceAccountToken") is not False:
        token = {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}
        volume = {
            "name": f"kube-api-access-{_digest(node, account, length=5)}",
            "projected": {"sources": [token]},
        }
        spec.setdefault("volumes", []).append(volume)
    return spec


def _pods_of(cluster: Cluster, deployment: dict[str, Any]) -> None:
    """The Pods a Deployment's ReplicaSet runs: `<deployment>-<template hash>-<suffix>`, owned by the RS."""
    meta, spec = deployment["metadata"], deployment.get("spec", {})
    template = spec.get("template", {})
    template_hash = _digest(json.dumps(template, sort_keys=True))
    replica_set = f"{meta['name']}-{template_hash}"
    owner = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": replica_set,
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"ReplicaSet/{meta['namespace']}/{replica_set}")),
        "controller": True,
        "blockOwnerDeletion": True,
    }
    for index in range(int(spec.get("replicas", 1))):
        labels = {**template.get("metadata", {}).get("labels", {}), "pod-template-hash": template_hash}
        pod_meta = {
            "name": f"{replica_set}-{_digest(replica_set, str(index), length=5)}",
            "namespace": meta["namespace"],
            "labels": labels,
            "annotations": dict(template.get("metadata", {}).get("annotations", {})),
            "ownerReferences": [owner],
        }
        node = NODES[index % len(NODES)]
        status = {"phase": "Running", "hostIP": "10.20.0.4", "podIP": f"10.244.{index}.{index + 10}"}
        cluster.add(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": pod_meta,
                "spec": _pod_spec(template.get("spec", {}), node),
                "status": status,
            }
        )


def _read_manifests(directory: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for file in sorted([*directory.rglob("*.yaml"), *directory.rglob("*.yml")]):
        for doc in yaml.safe_load_all(file.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and doc.get("kind") in _BY_KIND:
                found.append(doc)
    return found


def _default_sa(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "default", "namespace": namespace},
    }


def build_cluster(manifests: Path) -> Cluster:
    """The cluster as the platform creates it (k8s_system), after `kubectl apply -f manifests`."""
    cluster = Cluster()
    for name in SYSTEM_NAMESPACES:
        labels = {NAMESPACE_LABEL: name}
        cluster.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
        cluster.add(_default_sa(name))
    for obj in system_objects():
        cluster.add(obj)
    for obj in _read_manifests(manifests):
        stored = cluster.apply(obj)
        if stored["kind"] == "Namespace":
            name = stored["metadata"]["name"]
            stored["metadata"].setdefault("labels", {})[NAMESPACE_LABEL] = name
            cluster.add(_default_sa(name))
    for deployment in list(cluster.items("Deployment")):
        _pods_of(cluster, deployment)
    return cluster
