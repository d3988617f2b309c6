"""Reading IAM and resource policy documents whose values may not be known (no PolicySpec here).

A document read from Terraform keeps what cannot be known statically as `${...}` text (or a plan's
"(known after apply)"): `"Resource": "${aws_s3_bucket.b.arn}"`, `"Action": "${var.actions}"`. A test of a
statement is then three-valued: True, False, or None when its answer depends on such a value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from policies.python._common import as_list

Answer = bool | None  # None: depends on a value that is not known
RESOLVE_HINT = "set inputs in a .tfvars file or with --var-file, or gate the plan JSON"


def unresolved(value: Any) -> bool:
    """A value Terraform cannot know before apply."""
    return isinstance(value, str) and ("${" in value or value == "(known after apply)")


def any_value(field: Any, wanted: Callable[[str], bool]) -> Answer:
    """Whether one of a field's values (one value or a list) is `wanted`; None if only an unknown could be."""
    values = as_list(field)
    if any(wanted(str(v)) for v in values if not unresolved(v)):
        return True
    return None if any(unresolved(v) for v in values) else False


def every(answers: Iterable[Answer]) -> Answer:
    """All of the answers (False wins over unknown)."""
    found = list(answers)
    if False in found:
        return False
    return None if None in found else True


def some(answers: Iterable[Answer]) -> Answer:
    """Any of the answers (True wins over unknown)."""
    found = list(answers)
    if True in found:
        return True
    return None if None in found else False


def effect_is(statement: Mapping[str, Any], effect: str) -> Answer:
    value = statement.get("Effect")
    if unresolved(value):
        return None
    return str(value or "").lower() == effect.lower()


def unknown_values(statements: Iterable[Mapping[str, Any]], keys: tuple[str, ...]) -> list[str]:
    """The unknown values a verdict depends on, in `keys` of the statements, for the message."""
    found: list[str] = []
    for statement in statements:
        for key in keys:
            for value in _leaves(statement.get(key)):
                if unresolved(value) and value not in found:
                    found.append(value)
    return found


def _leaves(value: Any) -> Iterable[Any]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    else:
        yield value
