"""Judging resources that hold unknown values: a verdict stands only if no value the resource could hold
changes it.

A snapshot names its unknown attributes (`ingress[0].cidr_ipv4`, with the kind of value and why it is
unknown) and, for a conditional whose branches are known, the alternatives it can take. A policy is judged
on each alternative and, for every attribute still unknown, on the values that could decide it: both
booleans, and the numbers and strings the policy itself compares with (read from its source and
parameters). One verdict across all of them is the verdict; anything else is `unknown`, naming what the
verdict depends on. An unknown list or map cannot be enumerated: a policy that reads it is `unknown`.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from collectors import ResourceSnapshot, UnknownAttribute
from collectors.snapshot import listed, split_path, value_at
from policies.model import PolicySpec, Status, Verdict

MAX_JOINT = 4096  # combinations of candidate values judged together; beyond that the verdict is unknown
MAX_CANDIDATES = 48
# Values that decide security checks whatever a policy's source spells out (a range may be computed, an
# allow-list may live in a parameter): open ranges, wildcards, protocols, algorithms, TLS versions, ACLs.
SEEDS = (
    "0.0.0.0/0",
    "::/0",
    "*",
    "Internet",
    "Any",
    "-1",
    "tcp",
    "true",
    "false",
    "AES256",
    "aws:kms",
    "HTTP",
    "HTTPS",
    "TLS1_0",
    "TLS1_2",
    "public-read",
    "public-read-write",
    "Allow",
    "Deny",
    "Disabled",
    "Enabled",
)
_COMMON = Path(__file__).parent / "python" / "_common.py"
_REGO_LIB = Path(__file__).parent / "rego" / "lib"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_INT = re.compile(r"(?<![\w.])(\d{1,6})(?![\w.])")
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Judge these snapshots; verdicts by snapshot id. Each list holds variants of one resource or of many.
Runner = Callable[[list[ResourceSnapshot]], dict[str, Verdict]]


@dataclass(frozen=True)
class _Vocabulary:
    strings: tuple[str, ...]
    ints: tuple[int, ...]
    tokens: frozenset[str]


@dataclass
class _Variant:
    snapshot: ResourceSnapshot
    label: str  # which alternative, or "" for a probe of an unknown attribute


@dataclass
class _Outcome:
    verdicts: list[tuple[str, Verdict]] = field(default_factory=list)  # (label, verdict)
    opaque: list[UnknownAttribute] = field(default_factory=list)  # unknown lists/maps the policy reads


def settle(
    spec: PolicySpec,
    verdicts: list[Verdict],
    subjects: Iterable[ResourceSnapshot],
    run: Runner,
    batch: bool,
) -> list[Verdict]:
    """`verdicts` with each one on a resource holding unknowns replaced by what survives every variant.

    `batch`: the policy judges each resource on its own, so all variants go to `run` together (with
    distinct ids); otherwise each variant replaces its resource in a run of its own.
    """
    uncertain = [s for s in subjects if s.unknown]
    if not uncertain:
        return verdicts
    words = vocabulary(spec)
    by_id = {v.resource_id: v for v in verdicts}
    outcomes: dict[str, _Outcome] = {}
    for snap in uncertain:
        variants, opaque = _variants(snap, words)
        outcomes.setdefault(snap.id, _Outcome()).opaque.extend(opaque)
        for resource_id, label, verdict in _judge(snap, variants, run, batch):
            outcomes.setdefault(resource_id, _Outcome()).verdicts.append((label, verdict))
    settled = dict(by_id)
    for resource_id, outcome in outcomes.items():
        base = by_id.get(resource_id)
        if base is not None:
            settled[resource_id] = _fold(base, outcome, _reasons(uncertain, resource_id))
    return list(settled.values())


def _judge(
    snap: ResourceSnapshot, variants: list[_Variant], run: Runner, batch: bool
) -> Iterator[tuple[str, str, Verdict]]:
    """(resource id, variant label, verdict) for every variant of `snap`."""
    if batch:
        named = {f"{snap.id}\x00{i}": v for i, v in enumerate(variants)}
        results = run([v.snapshot.model_copy(update={"id": key}) for key, v in named.items()])
        for key, variant in named.items():
            if key in results:
                yield snap.id, variant.label, results[key]
        return
    for variant in variants:
        for resource_id, verdict in run([variant.snapshot]).items():
            yield resource_id, variant.label, verdict


def _fold(base: Verdict, outcome: _Outcome, reasons: str) -> Verdict:
    statuses = {v.status for _, v in outcome.verdicts}
    if base.status is Status.unknown:  # what a policy says itself it cannot know, it says best ...
        branches = bool(outcome.verdicts) and all(label for label, _ in outcome.verdicts)
        if not (branches and len(statuses) == 1 and not outcome.opaque) or Status.unknown in statuses:
            return base
        only = outcome.verdicts[0][1]  # ... unless every branch the value can take gives one verdict
        return Verdict(only.status, only.message, base.resource_id)
    if base.status in (Status.error, Status.not_applicable) and not outcome.verdicts:
        return base
    if outcome.opaque and base.status is not Status.error:
        paths = ", ".join(list(dict.fromkeys(u.path for u in outcome.opaque))[:3])
        return Verdict(Status.unknown, f"depends on {paths}, which is not known: {reasons}", base.resource_id)
    if len(statuses) <= 1:
        only = outcome.verdicts[0][1] if outcome.verdicts else base
        return Verdict(only.status, only.message, base.resource_id)
    if Status.error in statuses and base.status is Status.error:
        return base
    return Verdict(Status.unknown, _unknown_message(outcome, reasons), base.resource_id)


def _unknown_message(outcome: _Outcome, reasons: str) -> str:
    labelled = [(label, v) for label, v in outcome.verdicts if label]
    if labelled:
        seen: dict[str, str] = {}
        for label, v in labelled:
            seen.setdefault(
                label, f"{v.status.value} ({v.message})" if v.status is Status.failed else v.status.value
            )
        branches = "; ".join(f"{label}: {text}" for label, text in list(seen.items())[:4])
        return f"the verdict depends on a value that is not known ({branches}): {reasons}"
    return f"the verdict depends on a value that is not known: {reasons}"


def _reasons(snapshots: list[ResourceSnapshot], resource_id: str) -> str:
    own = [s for s in snapshots if s.id == resource_id] or snapshots
    return listed(u.reason for s in own for u in s.unknown)


def _variants(snap: ResourceSnapshot, words: _Vocabulary) -> tuple[list[_Variant], list[UnknownAttribute]]:
    """The snapshots to judge in place of `snap`, and the unknown lists/maps the policy may read."""
    worlds = [(a.label, a.values) for a in snap.alternatives] or [("", {})]
    variants: list[_Variant] = []
    opaque: dict[str, UnknownAttribute] = {}
    for label, values in worlds:
        base = _with(snap.attributes, values.items())
        # only what the policy can read can change its verdict: attributes its source never names cannot
        rest = [u for u in snap.unknown if u.path not in values and _named(u.path, words)]
        choices = []
        for u in rest:
            candidates = _candidates(u, words, base)
            if candidates is None:
                opaque.setdefault(u.path, u)
            else:
                choices.append((u, candidates))
        if _joint(choices) > MAX_JOINT:  # too many combinations to try them all: the verdict is not known
            opaque.update((u.path, u) for u, _ in choices)
            choices = []
        for attributes in _assignments(base, [(u.path, c) for u, c in choices]):
            variants.append(_Variant(snap.model_copy(update={"attributes": attributes}), label))
    return variants, list(opaque.values())


def _joint(choices: list[tuple[UnknownAttribute, list[Any]]]) -> int:
    count = 1
    for _, candidates in choices:
        count *= len(candidates)
    return count


def _assignments(base: dict[str, Any], choices: list[tuple[str, list[Any]]]) -> Iterator[dict[str, Any]]:
    """The world itself, then every combination of the candidate values of its unknown attributes."""
    yield base
    if choices:
        for combo in itertools.product(*(c for _, c in choices)):
            yield _with(base, zip((p for p, _ in choices), combo, strict=True))


def _candidates(u: UnknownAttribute, words: _Vocabulary, base: dict[str, Any]) -> list[Any] | None:
    if u.kind == "bool":
        return [True, False]
    if u.kind == "int":
        near = {n + d for n in words.ints for d in (-1, 0, 1)} | {0, 1, 65535}
        return sorted(near)[:MAX_CANDIDATES]
    if u.kind == "str":
        current = value_at(base, u.path)
        own = [current] if isinstance(current, str) else []
        return list(dict.fromkeys([*own, *SEEDS, *words.strings]))
    return None


def _named(path: str, words: _Vocabulary) -> bool:
    """Whether the policy's source names every key on the way to `path` (policies read attributes by name)."""
    return all(isinstance(p, int) or p in words.tokens for p in split_path(path))


def _with(attributes: Mapping[str, Any], values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A copy of `attributes` with each (path, value) set, creating the items and keys on the way.

    Only the containers along each path are copied (the rest is shared, and never changed). An item the
    placeholder left out (a list of one unknown source, mapped to no source) is put back.
    """
    out = dict(attributes)
    for path, value in values:
        out = _set(out, split_path(path), value)
    return out


def _set(container: Any, parts: list[str | int], value: Any) -> Any:
    """`container` (copied) with `value` at `parts`; a step through something else leaves it as it is."""
    head, rest = parts[0], parts[1:]
    if isinstance(head, int):
        items = [] if container is None else container
        if not isinstance(items, list):
            return container
        copied = [*items, *([None] * (head + 1 - len(items)))]
        copied[head] = _set(copied[head], rest, value) if rest else value
        return copied
    mapping = {} if container is None else container
    if not isinstance(mapping, dict):
        return container
    updated = dict(mapping)
    updated[head] = _set(updated.get(head), rest, value) if rest else value
    return updated


def vocabulary(spec: PolicySpec) -> _Vocabulary:
    """The strings, numbers and names a policy's decision can turn on: its source's and its parameters'."""
    if spec.engine == "rego":
        return _rego_vocabulary(spec.source_file, _flatten(spec.params))
    fn = spec.check or spec.aggregate
    assert fn is not None
    cells = tuple(c.cell_contents for c in (getattr(fn, "__closure__", None) or ()))
    return _python_vocabulary(spec.source_file, fn.__name__, _flatten(spec.params) + _flatten(cells))


@cache
def _rego_vocabulary(source_file: str, params: tuple[Any, ...]) -> _Vocabulary:
    texts = [_read(source_file), *(_read(str(p)) for p in sorted(_REGO_LIB.glob("*.rego")))]
    strings = [m.group(1) for t in texts for m in _STRING.finditer(t)]
    ints = [int(m.group(1)) for t in texts for m in _INT.finditer(t)]
    tokens = {m.group(0) for t in texts for m in _TOKEN.finditer(t)}
    return _words(strings, ints, tokens, params)


@cache
def _python_vocabulary(source_file: str, function: str, params: tuple[Any, ...]) -> _Vocabulary:
    """What the policy function and everything it calls (in its module and the shared helpers) mention."""
    definitions: dict[str, ast.stmt] = {}
    for path in (str(_COMMON), source_file):
        for node in ast.parse(_read(path)).body:
            for name in _defined_names(node):
                definitions[name] = node
    reached: list[ast.stmt] = []
    queue, seen = [function], set()
    while queue:
        name = queue.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        node = definitions[name]
        body = node.body if isinstance(node, ast.FunctionDef) else [node]  # not the @policy decorator
        reached += body
        queue += [n.id for part in body for n in ast.walk(part) if isinstance(n, ast.Name)]
    constants = [n.value for node in reached for n in ast.walk(node) if isinstance(n, ast.Constant)]
    tokens = {n.id for node in reached for n in ast.walk(node) if isinstance(n, ast.Name)}
    tokens |= {n.attr for node in reached for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    strings = [c for c in constants if isinstance(c, str) and len(c) < 200 and "\n" not in c]
    tokens |= {t for c in [*strings, *(p for p in params if isinstance(p, str))] for t in _TOKEN.findall(c)}
    ints = [c for c in constants if isinstance(c, int) and not isinstance(c, bool)]
    return _words(strings, ints, tokens, params)


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _words(strings: list[str], ints: list[int], tokens: set[str], params: tuple[Any, ...]) -> _Vocabulary:
    strings = strings + [p for p in params if isinstance(p, str)]
    ints = ints + [p for p in params if isinstance(p, int) and not isinstance(p, bool)]
    values = {s for s in strings if s and len(s) <= 64 and not any(c.isspace() for c in s)}  # not prose
    kept = sorted(values, key=lambda s: (len(s), s))[:MAX_CANDIDATES]
    return _Vocabulary(tuple(kept), tuple(sorted(set(ints))), frozenset(tokens | set(strings)))


def _read(path: str) -> str:
    """A policy's source: one that cannot be read is a bug in the installation, never an empty vocabulary."""
    return Path(path).read_text(encoding="utf-8")


def _flatten(value: Any) -> tuple[Any, ...]:
    if isinstance(value, Mapping):
        return tuple(x for v in value.values() for x in _flatten(v))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(x for v in value for x in _flatten(v))
    return (value,)
