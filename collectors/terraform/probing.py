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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast

from collectors.snapshot import Alternative, UnknownAttribute, value_at
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
    computed = _computed(reach, build, model)
    if not found:
        return Probed(computed)
    choices = [u for u in found.values() if u.alternatives]
    if _world_count(choices) > MAX_ALTERNATIVES:
        choices = []
    opaque = [u for u in found.values() if u not in choices]
    fixed = {str(u): u.alternatives[0][1] for u in choices}
    unknown: dict[str, UnknownAttribute] = {}
    if opaque:
        worlds = [
            _mapped(reach, build, model, {**fixed, **{str(u): _probe(u, i) for u in opaque}})
            for i in range(len(_PROBES))
        ]
        samples = [w for w in worlds if w is not None]
        reason = _reason(opaque)
        for path, kind in _changed(samples).items():
            unknown[path] = UnknownAttribute(path=path, reason=reason, kind=kind)
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


def _computed(reach: list[TfResource], build: Build, model: TfModel) -> tuple[UnknownAttribute, ...]:
    """Booleans and numbers set from another resource's attribute: known only after apply.

    A reference in a string attribute (a key ARN, a bucket id) names a value that will exist, which is what
    presence checks and joins rely on; only where it decides a flag or a number is its value needed.
    """
    refs = {r: describe(r[2:-1] if r.startswith("${") else r) for x in reach for r in references_in(x.values)}
    if not refs:
        return ()
    # text and 1 tell apart every flag (false / true) and every number (none / 1) a reference could set
    worlds = [_mapped(reach, build, model, dict.fromkeys(refs, p)) for p in ("assay-probe-a", 1)]
    changed = _changed([w for w in worlds if w is not None])
    reason = "; ".join(list(dict.fromkeys(refs.values()))[:3])
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
    stripped = {str(u): Unknown(str(u), u.depends_on) for u in choices}
    originals = {r.address: r.values for r in [res, *model.joined.get(res.address, ())]}
    try:
        for r in [res, *model.joined.get(res.address, ())]:
            r.values = substitute(r.values, stripped)
        return probe(res, build, model, base, validate)
    finally:
        for r in [res, *model.joined.get(res.address, ())]:
            r.values = originals[r.address]


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
    count = 1
    for u in choices:
        count *= len(u.alternatives)
    return count


def _reason(unknowns: Iterable[Unknown]) -> str:
    reasons = list(dict.fromkeys(u.reason for u in unknowns))
    return "; ".join(reasons[:3]) + (f" (+{len(reasons) - 3} more)" if len(reasons) > 3 else "")


def _mapped(
    reach: list[TfResource], build: Build, model: TfModel, assignment: dict[str, Any]
) -> dict[str, Any] | None:
    """`build` of the first resource of `reach` with Unknowns replaced as `assignment` says."""
    originals = [r.values for r in reach]
    try:
        for r in reach:
            r.values = substitute(r.values, assignment)
        return build(reach[0], model)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # this probe does not fit the mapper; the others still show what depends on the value
    finally:
        for r, values in zip(reach, originals, strict=True):
            r.values = values


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
        kinds.update(_kind_of(value_at(s, path)) for s in samples)
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


def _kind_of(value: Any) -> str:
    if value is None:
        return ""
    for kind, types in (("bool", bool), ("int", int), ("str", str), ("list", list), ("dict", dict)):
        if isinstance(value, types):
            return kind
    return "any"


def _one_kind(kinds: set[str]) -> Kind:
    kinds.discard("")
    kind = kinds.pop() if len(kinds) == 1 else "any"
    return cast(Kind, kind)


def _kind(alternatives: list[Alternative], path: str) -> Kind:
    return _one_kind({_kind_of(a.values.get(path)) for a in alternatives})
