"""Which snapshot attributes depend on an unknown Terraform value, found by mapping the resource again.

A mapper turns Terraform values into snapshot attributes through defaults, normalisation and joins, so which
attribute an unknown input ends up in cannot be read off the input. Instead the resource (with the siblings
merged into it) is mapped again with its unknown values replaced by probes of every shape (booleans,
numbers, strings, lists, maps): an attribute that changes between probes depends on an unknown. A
conditional whose branches are known is mapped once per branch, and the attributes each branch sets are
kept as that snapshot's alternatives, so a policy can be judged on each.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, cast

from collectors.snapshot import Alternative, UnknownAttribute, listed, value_at
from collectors.terraform.model import TfModel, TfResource
from collectors.terraform.unknown import Unknown, describe, references_in, substitute, unknowns_in

MAX_ALTERNATIVES = 16
Kind = Literal["bool", "int", "str", "list", "dict", "any"]
# Every probe is set to something (an unknown input is never null: Terraform requires a value), so presence
# checks hold across them, while flags (true / other text), numbers (1 / 2), text, lists and maps all change.
_PROBES: tuple[Any, ...] = (
    True,
    1,
    2,
    "assay-probe-a",
    "assay-probe-b",
    ["assay-probe-a"],
    {"assay-probe": "a"},
)
Build = Callable[[TfResource, TfModel], dict[str, Any]]
Validate = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Probed:
    unknown: tuple[UnknownAttribute, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


def probe(res: TfResource, build: Build, model: TfModel, base: dict[str, Any], validate: Validate) -> Probed:
    """The unknown attributes of `res`'s snapshot (`base`, as mapped) and its alternatives."""
    reach = [res, *model.joined.get(res.address, ())]
    found = {str(u): u for r in reach for u in unknowns_in(r.values)}
    computed = _computed(reach, build, model, base)
    if not found:
        return Probed(computed)
    choices = [u for u in found.values() if u.alternatives]
    if _world_count(choices) > MAX_ALTERNATIVES:
        choices = []
    opaque = [u for u in found.values() if u not in choices]
    fixed = {str(u): u.alternatives[0][1] for u in choices}
    unknown: dict[str, UnknownAttribute] = {}
    if opaque:
        assignments = [{**fixed, **{str(u): _probe(u, i) for u in opaque}} for i in range(len(_PROBES))]
        for path, kind in _worlds(reach, build, model, assignments, base).items():
            unknown[path] = UnknownAttribute(path=path, reason=_reason(opaque), kind=kind)
    alternatives = _alternatives(reach, build, model, validate(base), choices, validate) if choices else None
    if alternatives is None and choices:  # a branch that cannot be mapped: treat the conditional as opaque
        return probe_as_opaque(res, build, model, base, validate, choices)
    if alternatives:
        reason = _reason(choices)
        for path in {p for a in alternatives for p in a.values}:
            unknown.setdefault(
                path, UnknownAttribute(path=path, reason=reason, kind=_kind(alternatives, path))
            )
    for u in computed:
        unknown.setdefault(u.path, u)
    return Probed(tuple(unknown[p] for p in sorted(unknown)), tuple(alternatives or ()))


def _computed(
    reach: list[TfResource], build: Build, model: TfModel, base: dict[str, Any]
) -> tuple[UnknownAttribute, ...]:
    """Booleans and numbers set from another resource's attribute: known only after apply.

    A reference in a string attribute (a key ARN, a bucket id) names a value that will exist, which is what
    presence checks and joins rely on; only where it decides a flag or a number is its value needed.
    """
    refs = {r: describe(r[2:-1] if r.startswith("${") else r) for x in reach for r in references_in(x.values)}
    if not refs:
        return ()
    # text and 1 tell apart every flag (false / true) and every number (none / 1) a reference could set
    assignments = [dict.fromkeys(refs, p) for p in ("assay-probe-a", 1)]
    changed = _worlds(reach, build, model, assignments, base)
    reason = listed(refs.values())
    return tuple(
        UnknownAttribute(path=path, reason=reason, kind=kind)
        for path, kind in sorted(changed.items())
        if kind in ("bool", "int")
    )


def probe_as_opaque(
    res: TfResource,
    build: Build,
    model: TfModel,
    base: dict[str, Any],
    validate: Validate,
    choices: list[Unknown],
) -> Probed:
    """`probe` with the conditionals' branches forgotten: for when a branch cannot be mapped."""
    stripped = {str(u): Unknown(str(u), u.depends_on) for u in choices}
    with _replaced([res, *model.joined.get(res.address, ())], stripped):
        return probe(res, build, model, base, validate)


_TYPED: dict[str, tuple[Any, ...]] = {
    "string": ("assay-probe-a", "assay-probe-b"),
    "number": (1, 2),
    "bool": (True, False),
    "list": (["assay-probe-a"], ["assay-probe-b", "assay-probe-c"]),
    "set": (["assay-probe-a"], ["assay-probe-b", "assay-probe-c"]),
    "tuple": (["assay-probe-a"], ["assay-probe-b", "assay-probe-c"]),
    "map": ({"assay-probe": "a"}, {"assay-probe": "b", "assay-other": "c"}),
    "object": ({"assay-probe": "a"}, {"assay-probe": "b", "assay-other": "c"}),
}


def _probe(u: Unknown, i: int) -> Any:
    """The i-th probe for `u`: of its declared type when the input declares one, of every shape else."""
    probes = _TYPED.get(u.kind, _PROBES)
    return probes[i % len(probes)]


def _world_count(choices: list[Unknown]) -> int:
    return math.prod(len(u.alternatives) for u in choices)


def _reason(unknowns: Iterable[Unknown]) -> str:
    return listed(u.reason for u in unknowns)


@contextmanager
def _replaced(reach: list[TfResource], assignment: dict[str, Any]) -> Iterator[None]:
    """The resources of `reach` with their Unknowns replaced as `assignment` says, then restored."""
    originals = [r.values for r in reach]
    try:
        for r in reach:
            r.values = substitute(r.values, assignment)
        yield
    finally:
        for r, values in zip(reach, originals, strict=True):
            r.values = values


def _mapped(
    reach: list[TfResource], build: Build, model: TfModel, assignment: dict[str, Any]
) -> dict[str, Any] | None:
    """`build` of the first resource of `reach` with Unknowns replaced; None if the mapper rejects the probe.

    A rejected probe tells nothing; `_worlds` makes sure that when every probe is rejected, that is said.
    """
    with _replaced(reach, assignment):
        try:
            return build(reach[0], model)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None


def _alternatives(
    reach: list[TfResource],
    build: Build,
    model: TfModel,
    base: dict[str, Any],
    choices: list[Unknown],
    validate: Validate,
) -> list[Alternative] | None:
    """One Alternative per combination of branches, holding the attributes that differ from `base`."""
    combos = itertools.product(*(u.alternatives for u in choices))
    worlds: list[tuple[str, dict[str, Any]]] = []
    for combo in combos:
        assignment = {str(u): value for u, (_, value) in zip(choices, combo, strict=True)}
        mapped = _mapped(reach, build, model, assignment)
        if mapped is None:
            return None
        try:
            worlds.append(("; ".join(label for label, _ in combo), validate(mapped)))
        except ValueError:
            return None
    paths = sorted(_changed([base, *(w for _, w in worlds)]))
    return [Alternative(label=label, values={p: value_at(w, p) for p in paths}) for label, w in worlds]


def _worlds(
    reach: list[TfResource],
    build: Build,
    model: TfModel,
    assignments: list[dict[str, Any]],
    base: dict[str, Any],
) -> dict[str, Kind]:
    """Paths that differ between the mappings under `assignments`, with their kinds.

    When the mapper rejects all but one of them, nothing can be told apart: every attribute is unknown.
    """
    samples = [w for w in (_mapped(reach, build, model, a) for a in assignments) if w is not None]
    if len(samples) < 2:
        return {key: kind_of(value) or "any" for key, value in base.items()}
    return _changed(samples)


def changed_paths(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Kind]:
    """Attribute paths whose values differ between two mappings of one resource, with their kinds."""
    return _changed([a, b])


def _changed(samples: list[dict[str, Any]]) -> dict[str, Kind]:
    """Paths whose value differs between any two samples, with the kind of value seen there."""
    seen: dict[str, set[str]] = {}
    for other in samples[1:]:
        for path in _diff(samples[0], other, ""):
            seen.setdefault(path, set())
    for path, kinds in seen.items():
        kinds.update(kind_of(value_at(s, path)) or "" for s in samples)
    return {path: _one_kind(kinds) for path, kinds in seen.items()}


def _diff(a: Any, b: Any, path: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b), key=str):
            out += _diff(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [path]


_KINDS: tuple[tuple[Kind, type], ...] = (
    ("bool", bool),
    ("int", int),
    ("str", str),
    ("list", list),
    ("dict", dict),
)


def kind_of(value: Any) -> Kind | None:
    """The kind of a value as snapshots and probes name it; None for null."""
    if value is None:
        return None
    return next((kind for kind, types in _KINDS if isinstance(value, types)), "any")


def _one_kind(kinds: set[str]) -> Kind:
    kinds.discard("")
    kind = kinds.pop() if len(kinds) == 1 else "any"
    return cast(Kind, kind)


def _kind(alternatives: list[Alternative], path: str) -> Kind:
    return _one_kind({kind_of(a.values.get(path)) or "" for a in alternatives})
