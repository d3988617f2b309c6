"""Pod specs of Pods and workload pod templates -> k8s.pod attributes: names and sources, never values."""

from __future__ import annotations

from typing import Any

# kind -> path from the object to its pod template (the Pod itself has none)
POD_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}

_ENV_SOURCES = {
    "secretKeyRef": "secret",
    "configMapKeyRef": "config_map",
    "fieldRef": "field",
    "resourceFieldRef": "resource",
}


def mapping(value: Any, key: str) -> dict[str, Any]:
    """`value[key]` when both are mappings, else an empty dict: manifests are not always well formed."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def items(value: Any, key: str) -> list[dict[str, Any]]:
    """The mappings in the list `value[key]`, else an empty list."""
    found = value.get(key) if isinstance(value, dict) else None
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


def strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def labels(metadata: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in mapping(metadata, "labels").items()}


def pod_template(obj: dict[str, Any], kind: str) -> dict[str, Any]:
    """The object itself for a Pod, else the pod template found along the kind's path."""
    template = obj
    for key in POD_TEMPLATE_PATHS[kind]:
        template = mapping(template, key)
    return template


def _env(container: dict[str, Any]) -> list[dict[str, str]]:
    env = []
    for var in items(container, "env"):
        value_from = mapping(var, "valueFrom")
        source = next((s for ref, s in _ENV_SOURCES.items() if ref in value_from), "value")
        env.append({"name": str(var.get("name", "")), "source": source})
    for ref in items(container, "envFrom"):
        env.append({"name": "envFrom", "source": "secret" if "secretRef" in ref else "config_map"})
    return env


def _container(container: dict[str, Any], init: bool) -> dict[str, Any]:
    context = mapping(container, "securityContext")
    capabilities = mapping(context, "capabilities")
    return {
        "name": str(container.get("name", "")),
        "image": str(container.get("image", "")),
        "init": init,
        "privileged": context.get("privileged") is True,
        "allow_privilege_escalation": context.get("allowPrivilegeEscalation"),
        "run_as_non_root": context.get("runAsNonRoot"),
        "run_as_user": context.get("runAsUser"),
        "read_only_root_filesystem": context.get("readOnlyRootFilesystem") is True,
        "capabilities_add": strings(capabilities.get("add")),
        "capabilities_drop": strings(capabilities.get("drop")),
        "env": _env(container),
    }


def pod_attributes(template: dict[str, Any], *, namespace: str, name: str, kind: str) -> dict[str, Any]:
    """k8s.pod attributes of a pod spec; init and ephemeral containers are listed with the others."""
    spec = mapping(template, "spec")
    context = mapping(spec, "securityContext")
    containers = [_container(c, init=True) for c in items(spec, "initContainers")]
    containers += [
        _container(c, init=False) for c in items(spec, "containers") + items(spec, "ephemeralContainers")
    ]
    return {
        "namespace": namespace,
        "name": name,
        "workload_kind": kind,
        "labels": labels(mapping(template, "metadata")),
        "service_account_name": spec.get("serviceAccountName") or spec.get("serviceAccount"),
        "automount_service_account_token": spec.get("automountServiceAccountToken"),
        "host_network": spec.get("hostNetwork") is True,
        "host_pid": spec.get("hostPID") is True,
        "host_ipc": spec.get("hostIPC") is True,
        "host_path_volumes": [
            str(mapping(v, "hostPath").get("path", "")) for v in items(spec, "volumes") if "hostPath" in v
        ],
        "run_as_non_root": context.get("runAsNonRoot"),
        "run_as_user": context.get("runAsUser"),
        "containers": containers,
    }
