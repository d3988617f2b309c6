"""Terraform kubernetes provider blocks -> the Kubernetes API object (camelCase) the provider sends.

The provider writes the API's structure in snake_case, with three kinds of difference that a mechanical
conversion would miss, all tabled here:
- names: a repeated block is named in the singular (`container` -> `containers`, `init_container` ->
  `initContainers`, `volume_mount` -> `volumeMounts`, `port` -> `ports`, `rule` -> `rules`, `subject` ->
  `subjects`), and a few fields keep an acronym (`host_pid` -> `hostPID`, `non_resource_urls` ->
  `nonResourceURLs`); a block the API holds once (`security_context`, `capabilities`, `value_from`,
  `pod_selector`, `role_ref`, `seccomp_profile`) becomes an object; map attributes (`labels`, `annotations`,
  `match_labels`) keep their keys as written;
- defaults: where the API leaves a field unset, the provider sends its own default (`PROVIDER_DEFAULTS`), so
  a pod template always has `automountServiceAccountToken: true`, and a container that has a
  `security_context` block always has `allowPrivilegeEscalation: true` and `runAsNonRoot: false` unless they
  are written otherwise: the latter overrides a pod-level `run_as_non_root = true`, as it does on the cluster;
- types: `run_as_user` and `fs_group` are strings in the provider and numbers in the API.

A value Terraform cannot know stays visible: a `${...}` string where the API takes a string, a one-element
list or map naming the reference where it takes a list or a map. Where the API takes a flag that policies read
it becomes the value no policy passes (`FAIL_CLOSED`). Converting once with those values and once with their
opposites tells which snapshot attributes depend on an unknown (see _k8s_mapper).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from collectors.kubernetes.workloads import POD_TEMPLATE_PATHS, pod_template
from collectors.terraform.model import is_reference

Mode = Literal["closed", "open"]  # unknown values take the failing value, or another one

REPEATED: dict[str, str] = {
    "container": "containers",
    "init_container": "initContainers",
    "env": "env",
    "env_from": "envFrom",
    "port": "ports",
    "ports": "ports",
    "volume_mount": "volumeMounts",
    "volume_device": "volumeDevices",
    "volume": "volumes",
    "volume_claim_template": "volumeClaimTemplates",
    "toleration": "tolerations",
    "topology_spread_constraint": "topologySpreadConstraints",
    "readiness_gate": "readinessGates",
    "host_aliases": "hostAliases",
    "image_pull_secrets": "imagePullSecrets",
    "sysctl": "sysctls",
    "http_header": "httpHeaders",
    "option": "options",
    "items": "items",
    "rule": "rules",
    "subject": "subjects",
    "cluster_role_selectors": "clusterRoleSelectors",
    "match_expressions": "matchExpressions",
    "ingress": "ingress",
    "egress": "egress",
    "from": "from",
    "to": "to",
}
RENAMED = {
    "host_pid": "hostPID",
    "host_ipc": "hostIPC",
    "host_ip": "hostIP",
    "non_resource_urls": "nonResourceURLs",
}
MAPS = frozenset({"labels", "annotations", "match_labels", "node_selector", "limits", "requests"})
STRING_LISTS = frozenset(
    {"verbs", "resources", "api_groups", "resource_names", "non_resource_urls", "policy_types", "add", "drop"}
    | {"command", "args", "access_modes", "except", "values", "hostnames", "finalizers"}
)
# Flags policies read: an unknown one takes the value no policy passes.
FAIL_CLOSED: dict[str, bool] = {
    "privileged": True,
    "allowPrivilegeEscalation": True,
    "hostNetwork": True,
    "hostPID": True,
    "hostIPC": True,
    "automountServiceAccountToken": True,
    "readOnlyRootFilesystem": False,
    "runAsNonRoot": False,
}
NUMBERS = frozenset({"runAsUser", "runAsGroup", "fsGroup"})  # strings in the provider, integers in the API
# What the provider sends for fields left out of a block that is written (schema defaults, SDK zero values).
PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    "pod_spec": {
        "automountServiceAccountToken": True,
        "enableServiceLinks": True,
        "hostNetwork": False,
        "hostPID": False,
        "hostIPC": False,
    },
    "pod_security_context": {"runAsNonRoot": False},
    "container_security_context": {
        "allowPrivilegeEscalation": True,
        "privileged": False,
        "readOnlyRootFilesystem": False,
        "runAsNonRoot": False,
    },
    "ServiceAccount": {"automountServiceAccountToken": True},
    "Secret": {"type": "Opaque"},
}
METADATA = ("name", "generate_name", "namespace", "labels", "annotations")
TOP_LEVEL_LISTS = frozenset({"rules", "subjects", "secrets", "imagePullSecrets"})
_ABSENT = object()
_FIRST_WORD = re.compile(r"_([a-z0-9])")

Resolver = Callable[[str], Any]  # a `${...}` string -> its literal value where the tree declares one


def camel(name: str) -> str:
    return RENAMED.get(name) or _FIRST_WORD.sub(lambda m: m.group(1).upper(), name)


def _blocks(value: Any) -> list[dict[str, Any]] | None:
    """Nested blocks as the HCL reader and plan JSON give them (a list of dicts, or one dict), else None."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return value
    return None


class Converter:
    """Converts one resource's values; `mode` says what its unknown values become."""

    def __init__(self, mode: Mode, resolve: Resolver) -> None:
        self.mode = mode
        self.resolve = resolve

    def body(self, body: dict[str, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in body.items():
            if key.startswith("__") or value is None:
                continue
            if key == "dynamic":
                names = ", ".join(sorted(str(k) for b in _blocks(value) or [] for k in b))
                raise ValueError(
                    f"dynamic {names} blocks inside {path} are not expanded by the reader; write them out "
                    "or judge the plan JSON"
                )
            api_key, converted = self.entry(key, value, f"{path}.{key}")
            if converted is not _ABSENT:
                out[api_key] = converted
        return out

    def entry(self, key: str, value: Any, path: str) -> tuple[str, Any]:
        if key in MAPS:
            return camel(key), self.map(value)
        blocks = _blocks(value)
        if key in REPEATED and (blocks is not None or value == []):  # `port` is also an attribute's name
            return REPEATED[key], [self.body(b, path) for b in blocks or []]
        if blocks is not None:  # `resources` is a block in a container, a list of strings in a rule
            return camel(key), self.body(blocks[0], path)
        if key in STRING_LISTS:
            return camel(key), self.strings(value)
        if value == []:
            return key, _ABSENT  # an unset block in plan JSON
        api_key = camel(key)
        return api_key, self.scalar(api_key, value)

    def scalar(self, api_key: str, value: Any) -> Any:
        if isinstance(value, str) and is_reference(value):
            value = self.resolve(value)
        if not is_reference(value):
            return _coerced(api_key, value)
        if api_key in FAIL_CLOSED:
            closed = FAIL_CLOSED[api_key]
            return closed if self.mode == "closed" else not closed
        if api_key in NUMBERS:
            return 0 if self.mode == "closed" else _ABSENT
        return self.unknown(value)

    def unknown(self, value: Any) -> str:
        text = str(value)
        return text if self.mode == "closed" else f"{text} (other)"

    def strings(self, value: Any) -> list[Any]:
        if is_reference(value):
            return [self.unknown(value)]
        values = value if isinstance(value, list) else [value]
        return [self.scalar("", v) for v in values if v is not None]

    def map(self, value: Any) -> dict[str, Any]:
        if is_reference(value):
            return {self.unknown(value): self.unknown(value)}
        merged: dict[str, Any] = {}
        for block in _blocks(value) or []:
            merged.update(
                {str(k): v for k, v in block.items() if not str(k).startswith("__") and v is not None}
            )
        return {self.unknown(k) if is_reference(k) else k: self.scalar("", v) for k, v in merged.items()}


def _coerced(api_key: str, value: Any) -> Any:
    if api_key in FAIL_CLOSED and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if api_key in NUMBERS and isinstance(value, str):
        return int(value) if value.strip() else _ABSENT
    return value


def api_object(
    values: dict[str, Any], *, kind: str, api_version: str, fields: dict[str, str], converter: Converter
) -> dict[str, Any]:
    """The API object of one resource: metadata, then the kind's top-level `fields` (provider -> API name)."""
    metadata = _blocks(values.get("metadata")) or [{}]
    obj: dict[str, Any] = {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": converter.body({k: metadata[0].get(k) for k in METADATA}, "metadata"),
    }
    generated = obj["metadata"].pop("generateName", None)
    if "name" not in obj["metadata"] and generated is not None:
        obj["metadata"]["name"] = converter.unknown(f"{generated}${{random suffix}}")
    for key, api_key in fields.items():
        value = values.get(key)
        if value is None:
            continue
        blocks = _blocks(value)
        if api_key in TOP_LEVEL_LISTS:
            obj[api_key] = [converter.body(b, key) for b in blocks or []]
        elif blocks is not None:
            obj[api_key] = converter.body(blocks[0], key)
        else:
            obj[api_key] = converter.scalar(api_key, value)
    _apply_defaults(obj, kind)
    return obj


def _apply_defaults(obj: dict[str, Any], kind: str) -> None:
    for key, value in PROVIDER_DEFAULTS.get(kind, {}).items():
        obj.setdefault(key, value)
    if kind not in POD_TEMPLATE_PATHS:
        return  # not a pod or workload
    spec = pod_template(obj, kind).get("spec")
    if not isinstance(spec, dict):
        return
    _defaults(spec, "pod_spec")
    _defaults(spec.get("securityContext"), "pod_security_context")
    for group in ("initContainers", "containers"):
        for container in spec.get(group) or []:
            _defaults(container.get("securityContext"), "container_security_context")


def _defaults(block: Any, which: str) -> None:
    if isinstance(block, dict):
        for key, value in PROVIDER_DEFAULTS[which].items():
            block.setdefault(key, value)
