"""How Python policies are written: decorators that return PolicySpec values (no global registry).

A per-resource policy:

    @policy("aws.kms.key_rotation", resource_types=["aws.kms.key"], title="Keys rotate", severity="medium")
    def key_rotation(key: ResourceSnapshot, ctx: Context) -> Verdict:
        ...

An attribute-equals policy, in one statement:

    tls = attribute_policy("aws.x.y", "aws.x", "enabled", True, title="...", severity="high")
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from collectors import ResourceSnapshot
from policies.model import AggregateFn, CheckFn, Context, PolicySpec, Verdict, failed, passed

SEVERITIES = ("low", "medium", "high", "critical")


def _caller_file(depth: int = 2) -> str:
    # one frame, not inspect.stack(): that reads the source of every frame and cost 0.5 s of a gate's start
    return sys._getframe(depth).f_code.co_filename


def _spec(
    policy_id: str, resource_types: Iterable[str], title: str, severity: str, **extra: Any
) -> PolicySpec:
    if severity not in SEVERITIES:
        raise ValueError(f"policy {policy_id}: severity {severity!r} is not one of {SEVERITIES}")
    return PolicySpec(
        id=policy_id,
        title=title,
        resource_types=tuple(resource_types),
        severity=severity,
        engine="python",
        **extra,
    )


def _from_function(fn: CheckFn | AggregateFn) -> dict[str, Any]:
    return {"source_file": inspect.getfile(fn), "description": inspect.getdoc(fn) or ""}


def policy(
    policy_id: str,
    *,
    resource_types: Iterable[str],
    title: str,
    severity: str,
    required: bool = False,
    params: Mapping[str, Any] | None = None,
) -> Callable[[CheckFn], PolicySpec]:
    """A policy judging each resource of `resource_types` on its own."""

    def wrap(fn: CheckFn) -> PolicySpec:
        return _spec(
            policy_id,
            resource_types,
            title,
            severity,
            required=required,
            params=dict(params or {}),
            check=fn,
            **_from_function(fn),
        )

    return wrap


def aggregate_policy(
    policy_id: str,
    *,
    resource_types: Iterable[str],
    subject_types: Iterable[str] | None = None,
    title: str,
    severity: str,
    required: bool = False,
    params: Mapping[str, Any] | None = None,
) -> Callable[[AggregateFn], PolicySpec]:
    """A policy that needs several resources at once (e.g. every namespace has a default-deny policy)."""

    def wrap(fn: AggregateFn) -> PolicySpec:
        return _spec(
            policy_id,
            resource_types,
            title,
            severity,
            required=required,
            params=dict(params or {}),
            subject_types=tuple(subject_types or ()),
            aggregate=fn,
            **_from_function(fn),
        )

    return wrap


def attribute(snapshot: ResourceSnapshot, path: str) -> Any:
    """The value at a dotted path in the snapshot's attributes (None where any step is absent)."""
    value: Any = snapshot.attributes
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def attribute_policy(
    policy_id: str,
    resource_type: str,
    path: str,
    expected: Any,
    *,
    title: str,
    severity: str,
    required: bool = False,
) -> PolicySpec:
    """Pass when the attribute at `path` equals `expected` (Checkov's value-check idea, without a class)."""

    def check(snapshot: ResourceSnapshot, ctx: Context) -> Verdict:
        actual = attribute(snapshot, path)
        if actual == expected:
            return passed(f"{path} is {expected!r}")
        return failed(f"{path} is {actual!r}, expected {expected!r}")

    return _spec(
        policy_id,
        [resource_type],
        title,
        severity,
        source_file=_caller_file(),
        description=f"{resource_type}: {path} must be {expected!r}.",
        required=required,
        check=check,
    )
