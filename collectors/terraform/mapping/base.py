"""Mappers: Terraform resource types -> snapshot types. Declared as module-level Mapper values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from collectors.terraform.model import TfModel, TfResource, is_reference

BuildFn = Callable[[TfResource, TfModel], dict[str, Any]]


@dataclass(frozen=True)
class Mapper:
    tf_types: tuple[str, ...]
    snapshot_type: str
    build: BuildFn
    name_attribute: str | None = None  # the attribute that names the resource in the cloud (for drift)


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
