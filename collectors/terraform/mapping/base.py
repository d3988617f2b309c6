"""Mappers: Terraform resource types -> snapshot types. Declared as module-level Mapper values."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from collectors.snapshot import ResourceSnapshot
from collectors.terraform.model import TfModel, TfResource, is_reference

BuildFn = Callable[[TfResource, TfModel], dict[str, Any]]


@cache
def _process_key() -> bytes:
    """Without settings, names of people are still pseudonymised, with a key kept for the process only."""
    return secrets.token_bytes(32)


@dataclass(frozen=True)
class MapContext:
    """Settings a mapper may need beyond the resource: the Kubernetes cluster that names k8s snapshots, and
    the key that pseudonymises people (asked for only when a resource names one: no key file made in vain)."""

    cluster: str = "local"
    key_source: Callable[[], bytes] = field(default=_process_key, repr=False)

    @cached_property
    def pseudonym_key(self) -> bytes:
        return self.key_source()


SnapshotFn = Callable[[TfResource, TfModel, MapContext], ResourceSnapshot]


@dataclass(frozen=True)
class Mapper:
    tf_types: tuple[str, ...]
    snapshot_type: str
    build: BuildFn
    name_attribute: str | None = None  # the attribute that names the resource in the cloud (for drift)
    # Set when the snapshot is another source's own (a Kubernetes object): made whole, with that source's id,
    # account and redaction; `build` then gives the same attributes.
    snapshot: SnapshotFn | None = None


def mapper(
    *tf_types: str, snapshot_type: str, name_attribute: str | None = None
) -> Callable[[BuildFn], Mapper]:
    def wrap(fn: BuildFn) -> Mapper:
        return Mapper(tuple(tf_types), snapshot_type, fn, name_attribute)

    return wrap


def known(value: Any) -> Any:
    """The value, or None when Terraform cannot know it statically."""
    return None if is_reference(value) else value


def flag(value: Any, default: bool = False) -> bool:
    """A boolean attribute, with Terraform's default where unset or unknown."""
    value = known(value)
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]
