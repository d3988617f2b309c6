"""The objects a managed (AKS) cluster ships with: CoreDNS, the built-in RBAC roles and bindings, a
bootstrap token. Trimmed to what a collector reads, shaped as the API server returns them."""

from __future__ import annotations

from typing import Any

RBAC = "rbac.authorization.k8s.io/v1"
RBAC_GROUP = "rbac.authorization.k8s.io"
BOOTSTRAP = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate"
READ = ["get", "list", "watch"]
AUTH_READER = "extension-apiserver-authentication-reader"
WORKLOADS = ["pods", "deployments", "jobs", "secrets", "services"]


def _rule(groups: list[str], resources: list[str], verbs: list[str], **extra: Any) -> dict[str, Any]:
    return {"apiGroups": groups, "resources": resources, "verbs": verbs, **extra}


def _cluster_role(name: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    meta = {"name": name, "labels": dict(BOOTSTRAP), "annotations": {AUTOUPDATE: "true"}}
    return {"apiVersion": RBAC, "kind": "ClusterRole", "metadata": meta, "rules": rules}


def _binding(
    kind: str, name: str, role: str, subjects: list[dict[str, Any]], namespace: str | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": dict(BOOTSTRAP)}
    if namespace:
        meta["namespace"] = namespace
    role_kind = "Role" if kind == "RoleBinding" else "ClusterRole"
    return {
        "apiVersion": RBAC,
        "kind": kind,
        "metadata": meta,
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": role},
        "subjects": subjects,
    }


def _group(name: str) -> dict[str, Any]:
    return {"apiGroup": RBAC_GROUP, "kind": "Group", "name": name}


def _roles() -> list[dict[str, Any]]:
    return [
        _cluster_role(
            "cluster-admin", [_rule(["*"], ["*"], ["*"]), {"nonResourceURLs": ["*"], "verbs": ["*"]}]
        ),
        _cluster_role("admin", [_rule(["", "apps", "batch"], WORKLOADS, ["*"])]),
        _cluster_role(
            "edit", [_rule(["", "apps", "batch"], WORKLOADS, ["create", "delete", "patch", "update", *READ])]
        ),
        _cluster_role("view", [_rule(["", "apps", "batch"], [*WORKLOADS[:3], "services"], READ)]),
        _cluster_role(
            "system:basic-user",
            [
                _rule(
                    ["authorization.k8s.io"],
                    ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                    ["create"],
                )
            ],
        ),
        _cluster_role(
            "system:discovery",
            [
                {
                    "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/version"],
                    "verbs": ["get"],
                }
            ],
        ),
        _cluster_role(
            "system:coredns",
            [
                _rule([""], ["endpoints", "services", "pods", "namespaces"], ["list", "watch"]),
                _rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"]),
            ],
        ),
        {
            "apiVersion": RBAC,
            "kind": "Role",
            "metadata": {"name": AUTH_READER, "namespace": "kube-system", "labels": dict(BOOTSTRAP)},
            "rules": [
                _rule([""], ["configmaps"], READ, resourceNames=["extension-apiserver-authentication"])
            ],
        },
    ]


def _bindings() -> list[dict[str, Any]]:
    coredns = {"kind": "ServiceAccount", "name": "coredns", "namespace": "kube-system"}
    return [
        _binding("ClusterRoleBinding", "cluster-admin", "cluster-admin", [_group("system:masters")]),
        _binding(
            "ClusterRoleBinding", "system:basic-user", "system:basic-user", [_group("system:authenticated")]
        ),
        _binding(
            "ClusterRoleBinding", "system:discovery", "system:discovery", [_group("system:authenticated")]
        ),
        _binding("ClusterRoleBinding", "system:coredns", "system:coredns", [coredns]),
        _binding(
            "RoleBinding",
            f"system::{AUTH_READER}",
            AUTH_READER,
            [{"apiGroup": RBAC_GROUP, "kind": "User", "name": "system:kube-controller-manager"}],
            namespace="kube-system",
        ),
    ]


def _coredns() -> list[dict[str, Any]]:
    labels = {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "version": "v20"}
    container = {
        "name": "coredns",
        "image": "mcr.microsoft.com/oss/v2/kubernetes/coredns:v1.11.3-6",
        "args": ["-conf", "/etc/coredns/Corefile"],
        "ports": [
            {"containerPort": 53, "name": "dns", "protocol": "UDP"},
            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
        ],
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
            "procMount": "Default",
            "readOnlyRootFilesystem": True,
        },
        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}],
    }
    spec = {
        "serviceAccountName": "coredns",
        "priorityClassName": "system-node-critical",
        "dnsPolicy": "Default",
        "containers": [container],
        "volumes": [{"name": "config-volume", "configMap": {"name": "coredns", "defaultMode": 420}}],
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "coredns",
            "namespace": "kube-system",
            "labels": {**labels, "addonmanager.kubernetes.io/mode": "Reconcile"},
        },
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "template": {"metadata": {"labels": labels}, "spec": spec},
        },
    }
    account = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "coredns", "namespace": "kube-system"},
    }
    return [account, deployment]


def _bootstrap_token() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "bootstrap.kubernetes.io/token",
        "metadata": {"name": "bootstrap-token-k3j8v2", "namespace": "kube-system"},
        # placeholders: base64 of "k3j8v2" and of "placeholder-not-real"
        "data": {"token-id": "azNqOHYy", "token-secret": "cGxhY2Vob2xkZXItbm90LXJlYWw="},
    }


def system_objects() -> list[dict[str, Any]]:
    return [*_roles(), *_bindings(), *_coredns(), _bootstrap_token()]
