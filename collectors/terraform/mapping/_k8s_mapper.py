"""Kubernetes provider resources -> the k8s.* snapshots the manifest reader makes, by the manifest reader's
own function: the provider's blocks become the API object (_k8s_objects) and `snapshot_from_object` does the
rest, so types, attributes, pseudonyms of User subjects and the redaction of Secrets cannot drift apart.

The snapshot id is the manifest's `k8s:<cluster>/<namespace>/<kind>/<name>` when name and namespace are known
(the model's `merged` then maps the Terraform address to it), else the Terraform address; the location is the
Terraform resource's. `unknown` lists every attribute that depends on a value Terraform cannot know, found
by converting twice (unknowns failing, then otherwise) and comparing the snapshots.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from collectors.kubernetes import snapshot_from_object
from collectors.snapshot import ResourceSnapshot, SourceLocation, UnknownAttribute
from collectors.terraform.mapping._k8s_objects import Converter, Mode, api_object
from collectors.terraform.mapping.base import MapContext, Mapper
from collectors.terraform.model import TfModel, TfResource, is_reference
from collectors.terraform.snapshots import COLLECTOR
from collectors.terraform.unknown import unknowns_in

CLUSTER_SCOPED_TYPES = frozenset(
    f"kubernetes_{name}{suffix}"
    for name in ("namespace", "cluster_role", "cluster_role_binding")
    for suffix in ("", "_v1")
)
_KEY = r"(?:\[[^\]]*\])?"
_ADDRESS = rf"(?:module\.[\w-]+{_KEY}\.)*kubernetes_[a-z0-9_]+\.[\w-]+{_KEY}"
_METADATA_REF = re.compile(rf"^\$\{{({_ADDRESS})\.(?:metadata(?:\[0\]|\.0)\.(name|namespace)|(id))\}}$")


def _targets(model: TfModel) -> Callable[[str], TfResource | None]:
    """The kubernetes resource at an address (with instance key), or at that base address when it is alone;
    the model's kubernetes resources are indexed once."""
    exact: dict[str, TfResource] = {}
    alike: dict[str, list[TfResource]] = {}
    for r in model.resources:
        if r.type.startswith("kubernetes_"):
            exact.setdefault(r.address, r)
            alike.setdefault(r.base_address, []).append(r)

    def target(address: str) -> TfResource | None:
        found = alike.get(address, [])
        return exact.get(address) or (found[0] if len(found) == 1 else None)

    return target


def _literal_metadata(target: TfResource, field: str) -> Any:
    metadata = target.block("metadata")
    value = metadata.get(field)
    if field == "namespace" and value is None and target.type not in CLUSTER_SCOPED_TYPES:
        return "default"  # the provider's default, as the API's
    return value


def resolver(model: TfModel) -> Callable[[str], Any]:
    """`${kubernetes_namespace_v1.app.metadata[0].name}` (or `.metadata.0.namespace`, or `.id`) -> the literal
    the referenced resource declares; anything else is returned as it is."""

    find = model.indexes.get("kubernetes") or model.indexes.setdefault("kubernetes", _targets(model))

    def resolve(text: str) -> Any:
        match = _METADATA_REF.match(text)
        target = find(match.group(1)) if match else None
        if match is None or target is None:
            return text
        name = _literal_metadata(target, "name")
        if match.group(2):
            value = _literal_metadata(target, match.group(2))
        elif target.type in CLUSTER_SCOPED_TYPES:
            value = name
        else:
            value = f"{_literal_metadata(target, 'namespace')}/{name}"
        return text if value is None or is_reference(value) or is_reference(name) else value

    return resolve


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths (`containers[0].image`, `host_network`) at which two attribute trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [path]
        return [p for k in a for p in _differences(a[k], b[k], f"{path}.{k}" if path else k)]
    if (
        isinstance(a, list)
        and isinstance(b, list)
        and len(a) == len(b)
        and all(isinstance(v, dict) for v in a)
    ):
        return [
            p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in _differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [path]


def _from_object(obj: dict[str, Any], context: MapContext, location: SourceLocation) -> ResourceSnapshot:
    names_a_person = any(isinstance(s, dict) and s.get("kind") == "User" for s in obj.get("subjects") or [])
    snapshot = snapshot_from_object(
        obj,
        cluster=context.cluster,
        source="iac",
        collector=COLLECTOR,
        location=location,
        pseudonym_key=context.pseudonym_key if names_a_person else b"",  # the key is read only when needed
    )
    if snapshot is None:
        raise ValueError(f"{obj.get('apiVersion')} {obj.get('kind')} is not a kind the policies read")
    return snapshot


def kubernetes_snapshot(
    res: TfResource,
    model: TfModel,
    context: MapContext,
    *,
    kind: str,
    api_version: str,
    fields: dict[str, str],
) -> ResourceSnapshot:
    resolve = resolver(model)

    def convert(mode: Mode) -> dict[str, Any]:
        converter = Converter(mode, resolve)
        return api_object(res.values, kind=kind, api_version=api_version, fields=fields, converter=converter)

    obj = convert("closed")
    location = SourceLocation(file=res.file, line=res.line)
    snapshot = _from_object(obj, context, location)
    other = _from_object(convert("open"), context, location)
    reason = "; ".join(dict.fromkeys(u.reason for u in unknowns_in(res.values))) or "known only after apply"
    update: dict[str, Any] = {
        "unknown": tuple(
            UnknownAttribute(path=path, reason=reason)
            for path in sorted(set(_differences(snapshot.attributes, other.attributes)))
        )
    }
    metadata = obj["metadata"]
    if is_reference(metadata.get("name")) or is_reference(metadata.get("namespace")):
        update["id"] = res.address
    else:  # so that checkov's results on the address land on this snapshot's findings
        model.merged.setdefault(res.address, set()).add(snapshot.id)
    return snapshot.model_copy(update=update)


def _attributes(snapshot: Callable[[TfResource, TfModel, MapContext], ResourceSnapshot]) -> Any:
    return lambda res, model: snapshot(res, model, MapContext()).attributes


def kubernetes_mapper(
    *tf_types: str, kind: str, api_version: str, snapshot_type: str, fields: dict[str, str]
) -> Mapper:
    """A Mapper for the provider types of one Kubernetes kind; `fields` maps its top-level blocks and
    attributes other than `metadata` to the API's names."""
    snapshot = partial(kubernetes_snapshot, kind=kind, api_version=api_version, fields=fields)
    return Mapper(tuple(tf_types), snapshot_type, _attributes(snapshot), "name", snapshot)
