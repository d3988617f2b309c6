"""Judgements and policy specifications."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from collectors import ResourceSnapshot, SourceLocation


class Status(StrEnum):
    passed = "pass"
    failed = "fail"
    error = "error"
    unknown = "unknown"  # the verdict depends on a value that cannot be known statically
    missing = "missing"
    not_applicable = "not_applicable"
    waived = "waived"


class Judgement(BaseModel):
    model_config = ConfigDict(frozen=True)

    policy_id: str
    control_ids: tuple[str, ...]
    resource_id: str | None
    resource_type: str | None = None
    status: Status
    message: str
    evaluated_at: datetime
    location: SourceLocation | None = None
    unknown: tuple[str, ...] = ()  # the resource's attributes that were not statically known (Terraform)
    cause: str | None = None  # the merged part the verdict comes from (a rule of a group): what a user edits


@dataclass(frozen=True)
class Verdict:
    """What a policy says of one resource (resource_id None: of the population as a whole)."""

    status: Status
    message: str
    resource_id: str | None = None


def passed(message: str, resource_id: str | None = None) -> Verdict:
    return Verdict(Status.passed, message, resource_id)


def failed(message: str, resource_id: str | None = None) -> Verdict:
    return Verdict(Status.failed, message, resource_id)


def unknown(message: str, resource_id: str | None = None) -> Verdict:
    """The decision depends on a value that is not known: say what it depends on and how to resolve it."""
    return Verdict(Status.unknown, message, resource_id)


def not_applicable(message: str, resource_id: str | None = None) -> Verdict:
    return Verdict(Status.not_applicable, message, resource_id)


def missing(message: str) -> Verdict:
    return Verdict(Status.missing, message, None)


@dataclass(frozen=True)
class Context:
    """What a policy may know besides the snapshots: the evaluation time and its parameters."""

    now: datetime
    params: Mapping[str, Any] = field(default_factory=dict)


class Resources:
    """Snapshots of a policy's declared types, by type."""

    def __init__(self, by_type: Mapping[str, Sequence[ResourceSnapshot]]):
        self._by_type = by_type

    def of(self, type_name: str) -> Sequence[ResourceSnapshot]:
        return self._by_type.get(type_name, ())

    def all(self) -> list[ResourceSnapshot]:
        return [s for group in self._by_type.values() for s in group]


CheckFn = Callable[[ResourceSnapshot, Context], Verdict]
AggregateFn = Callable[[Resources, Context], Iterable[Verdict]]
Engine = Literal["python", "rego"]


@dataclass(frozen=True)
class PolicySpec:
    """One policy. `resource_types` are its inputs; every resource of `subject_types` must get a verdict.

    `required`: when none of the input types is present at all, the verdict is `missing` (the thing the
    control demands does not exist), provided the source being judged can show that type at all.
    """

    id: str
    title: str
    resource_types: tuple[str, ...]
    severity: str
    engine: Engine
    source_file: str
    description: str = ""
    subject_types: tuple[str, ...] = ()
    required: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    check: CheckFn | None = None
    aggregate: AggregateFn | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return self.subject_types or self.resource_types
