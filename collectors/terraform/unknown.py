"""Values the reader cannot know statically, with what they depend on and, for conditionals, their branches.

An `Unknown` is a `str` whose text is the expression as written (`${var.admin_cidr}`), so everything that
treats an unresolved `${...}` string as a reference (sibling joins, `refs`, messages) keeps working. It adds
what the value depends on (`var.admin_cidr`, `data.aws_vpc.main.id`, `after apply`) and, where the value is
a conditional over an unknown whose branches are known, the branches it can take.

A plain `${aws_kms_key.data.arn}` string (a reference to a resource managed in the same configuration) is
not an `Unknown`: it names a value that will exist, and presence checks may rely on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from collectors.snapshot import listed

AFTER_APPLY = "after apply"


class Unknown(str):
    """A value not known before apply; `alternatives` are (label, value) pairs if it is one of a few."""

    depends_on: tuple[str, ...]
    alternatives: tuple[tuple[str, Any], ...]
    template: tuple[str | Unknown, ...]  # a string template: its literal text and its unknown parts
    kind: str  # the declared type of the input it is, if known: string, number, bool, list, map, ...

    def __new__(
        cls,
        text: str,
        depends_on: tuple[str, ...] = (),
        alternatives: tuple[tuple[str, Any], ...] = (),
        template: tuple[str | Unknown, ...] = (),
        kind: str = "",
    ) -> Unknown:
        value = super().__new__(cls, text)
        value.kind = kind
        value.depends_on = tuple(dict.fromkeys(depends_on)) or (AFTER_APPLY,)
        value.alternatives = alternatives
        value.template = template
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (Unknown, (str(self), self.depends_on, self.alternatives, self.template, self.kind))

    @property
    def reason(self) -> str:
        return listed(describe(d) for d in self.depends_on)


def describe(dependency: str) -> str:
    """What makes one dependency unknown, and how a user resolves it."""
    if dependency.startswith("var.") or ".var." in dependency:
        return (
            f"{dependency} has no value (set it in a .tfvars file, pass --var-file or --var, "
            "or gate the plan JSON)"
        )
    if dependency.startswith("data.") or ".data." in dependency:
        return f"{dependency} is read from the provider (gate the plan JSON to judge it)"
    if dependency.startswith("expression "):
        return f"{dependency[11:]!r} cannot be evaluated statically (gate the plan JSON to judge it)"
    if dependency == AFTER_APPLY:
        return "the value is known only after apply"
    if dependency.startswith(("each.", "count.")):
        return f"{dependency} is not statically known (its for_each or count is unknown)"
    return f"{dependency} is known only after apply"


def opaque_roots(paths: list[str]) -> tuple[str, ...]:
    """The dependencies among referenced paths: inputs, data sources, and resources' computed attributes."""
    return tuple(dict.fromkeys(_dependency(p) for p in paths))


def _dependency(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "data" and len(parts) >= 3:
        return ".".join(parts[:3])
    if parts[0] in {"var", "local", "each", "count"} and len(parts) >= 2:
        return ".".join(parts[:2]).split("[")[0]
    return path


def unknowns_in(value: Any) -> Iterator[Unknown]:
    """Every Unknown inside a resolved value (nested lists and dicts)."""
    if isinstance(value, Unknown) and value.template:
        for part in value.template:
            yield from unknowns_in(part)
    elif isinstance(value, Unknown):
        yield value
        for _, alternative in value.alternatives:
            yield from (u for u in unknowns_in(alternative) if u is not value)
    elif isinstance(value, list):
        for item in value:
            yield from unknowns_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from unknowns_in(item)


def substitute(value: Any, assignment: dict[str, Any]) -> Any:
    """`value` with each Unknown whose text is a key of `assignment` replaced by the assigned value."""
    if isinstance(value, Unknown) and value.template:
        return "".join(_as_text(substitute(part, assignment)) for part in value.template)
    if isinstance(value, str):
        if value not in assignment:
            return value
        rest = {k: v for k, v in assignment.items() if k != value}  # what it is replaced by may hold others
        return substitute(assignment[value], rest)
    if isinstance(value, list):
        return [substitute(v, assignment) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, assignment) for k, v in value.items()}
    return value


def references_in(value: Any) -> Iterator[str]:
    """Every reference to a managed resource's attribute (a plain `${...}` string) inside a resolved value."""
    return (s for s in _strings(value) if not isinstance(s, Unknown) and "${" in s)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | dict):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def _as_text(value: Any) -> str:
    """A value interpolated into a string, as Terraform renders it (lists and maps cannot be)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | str):
        return str(value)
    return "assay-probe"


def contains_unknown(value: Any) -> bool:
    return next(unknowns_in(value), None) is not None
