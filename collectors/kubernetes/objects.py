"""Kubernetes API objects (camelCase, as `kubectl get -o json` gives them) -> ResourceSnapshots.

Used by the manifest reader and the live API collector alike. Nothing personal or secret is kept: Secrets
are read by metadata and type, environment variables by name and source, and the names of User subjects
become keyed pseudonyms. The digest of the raw object is taken after the same redaction.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from collections.abc import Callable
from typing import Any, Literal

from collectors.kubernetes.workloads import (
    POD_TEMPLATE_PATHS,
    items,
    labels,
    mapping,
    pod_attributes,
    pod_template,
    strings,
)
from collectors.snapshot import ResourceSnapshot, SourceLocation, make_snapshot

CLUSTER_SCOPED = frozenset({"Namespace", "ClusterRole", "ClusterRoleBinding"})
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# API groups each kind is read from, so that a custom resource reusing a kind name is not mistaken for it.
_GROUPS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("Namespace", "Pod", "ReplicationController", "ServiceAccount", "Secret"), frozenset({""})
    ),
    **dict.fromkeys(("Deployment", "DaemonSet", "ReplicaSet"), frozenset({"apps", "extensions"})),
    "StatefulSet": frozenset({"apps"}),
    **dict.fromkeys(("Job", "CronJob"), frozenset({"batch"})),
    **dict.fromkeys(
        ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"), frozenset({"rbac.authorization.k8s.io"})
    ),
    "NetworkPolicy": frozenset({"networking.k8s.io", "extensions"}),
}


def pseudonym(name: str, key: bytes) -> str:
    """A stable stand-in for a person's identifier: `user:` + 16 hex digits of HMAC-SHA256."""
    return "user:" + hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _subject_name(subject: dict[str, Any], key: bytes) -> str:
    name = str(subject.get("name", ""))
    if subject.get("kind") != "User" or name.startswith("system:"):
        return name  # groups, service accounts and Kubernetes' own system: identities name no person
    return pseudonym(name, key)


def _role(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    rules = [
        {
            "api_groups": strings(rule.get("apiGroups")),
            "resources": strings(rule.get("resources")),
            "verbs": strings(rule.get("verbs")),
            "resource_names": strings(rule.get("resourceNames")),
            "non_resource_urls": strings(rule.get("nonResourceURLs")),
        }
        for rule in items(obj, "rules")
    ]
    return {"name": _name(obj), "kind": kind, "namespace": namespace, "rules": rules}


def _role_binding(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    ref = mapping(obj, "roleRef")
    subjects = [
        {"kind": str(s.get("kind", "")), "name": _subject_name(s, key), "namespace": s.get("namespace")}
        for s in items(obj, "subjects")
    ]
    return {
        "name": _name(obj),
        "kind": kind,
        "namespace": namespace,
        "role_kind": str(ref.get("kind", "")),
        "role_name": str(ref.get("name", "")),
        "subjects": subjects,
    }


def _network_policy(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    spec = mapping(obj, "spec")
    selector = mapping(spec, "podSelector")
    types = strings(spec.get("policyTypes"))
    if not types:  # the API's default: Ingress always, Egress when egress rules are written
        types = ["Ingress", "Egress"] if "egress" in spec else ["Ingress"]
    return {
        "namespace": namespace,
        "name": _name(obj),
        "pod_selector": {str(k): str(v) for k, v in mapping(selector, "matchLabels").items()},
        "selector_has_expressions": bool(items(selector, "matchExpressions")),
        "policy_types": types,
        "ingress_rule_count": len(items(spec, "ingress")),
        "egress_rule_count": len(items(spec, "egress")),
    }


def _namespace(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    return {"name": _name(obj), "labels": labels(mapping(obj, "metadata"))}


def _service_account(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    token = obj.get("automountServiceAccountToken")
    return {"namespace": namespace, "name": _name(obj), "automount_service_account_token": token}


def _secret(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    return {"namespace": namespace, "name": _name(obj), "secret_type": str(obj.get("type") or "Opaque")}


def _pod(obj: dict[str, Any], kind: str, namespace: str | None, key: bytes) -> dict[str, Any]:
    return pod_attributes(
        pod_template(obj, kind), namespace=namespace or "default", name=_name(obj), kind=kind
    )


Builder = Callable[[dict[str, Any], str, str | None, bytes], dict[str, Any]]
_BUILDERS: dict[str, tuple[str, Builder]] = {
    "Namespace": ("k8s.namespace", _namespace),
    **{kind: ("k8s.pod", _pod) for kind in POD_TEMPLATE_PATHS},
    "Role": ("k8s.role", _role),
    "ClusterRole": ("k8s.role", _role),
    "RoleBinding": ("k8s.role_binding", _role_binding),
    "ClusterRoleBinding": ("k8s.role_binding", _role_binding),
    "NetworkPolicy": ("k8s.network_policy", _network_policy),
    "ServiceAccount": ("k8s.service_account", _service_account),
    "Secret": ("k8s.secret", _secret),
}


def _name(obj: dict[str, Any]) -> str:
    name = mapping(obj, "metadata").get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("metadata.name is missing")
    return name


def _api_group(obj: dict[str, Any]) -> str | None:
    version = obj.get("apiVersion")
    if not isinstance(version, str):
        return None  # items of a kubectl List may leave it out
    return version.rsplit("/", 1)[0] if "/" in version else ""


def redacted(obj: dict[str, Any], key: bytes) -> dict[str, Any]:
    """A copy fit to digest: no Secret data, no User names, no server bookkeeping that repeats them."""
    clean = copy.deepcopy(obj)
    clean.pop("data", None)
    clean.pop("stringData", None)
    metadata = mapping(clean, "metadata")
    metadata.pop("managedFields", None)
    mapping(metadata, "annotations").pop(LAST_APPLIED, None)
    for subject in items(clean, "subjects"):
        subject["name"] = _subject_name(subject, key)
    return clean


def snapshot_from_object(
    obj: dict[str, Any],
    *,
    cluster: str,
    source: Literal["iac", "runtime"],
    collector: str,
    location: SourceLocation | None,
    pseudonym_key: bytes,
) -> ResourceSnapshot | None:
    """The snapshot of one API object, or None for kinds no policy reads.

    Raises ValueError (SnapshotError included) when the object cannot be read: no name, or attributes that do
    not fit the schema.
    """
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in _BUILDERS:
        return None
    group = _api_group(obj)
    if group is not None and group not in _GROUPS[kind]:
        return None
    name = _name(obj)
    namespace = (
        None if kind in CLUSTER_SCOPED else str(mapping(obj, "metadata").get("namespace") or "default")
    )
    snapshot_type, build = _BUILDERS[kind]
    return make_snapshot(
        id=f"k8s:{cluster}/{namespace or '_cluster'}/{kind}/{name}",
        type=snapshot_type,
        source=source,
        attributes=build(obj, kind, namespace, pseudonym_key),
        collector=collector,
        raw=redacted(obj, pseudonym_key),
        name=name,
        account=cluster,
        location=location,
    )
