"""The built-in evaluator for common Terraform functions, and its hand-off to checkov's evaluator."""

from __future__ import annotations

from typing import Any

import pytest

from collectors.terraform.expressions import Scope, resolve
from collectors.terraform.functions import NOT_HANDLED, evaluate_functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("merge({'a': 1}, {\"b\": 2}, {'a': 3})", {"a": 3, "b": 2}),
        ("concat([1], [2, 3])", [1, 2, 3]),
        ("lookup({'a': 1}, 'b', 7)", 7),
        ("length([1, 2, 3])", 3),
        ('format("%s-%d%%", "db", 5)', "db-5%"),
        ('join(",", ["a", "b"])', "a,b"),
        ("toset(['b', 'a', 'b'])", ["a", "b"]),
        ("coalesce(null, '', 'x')", "x"),
        ("jsonencode({'Effect': 'Deny', 'Action': ['s3:*']})", {"Effect": "Deny", "Action": ["s3:*"]}),
        ("upper(lower('AbC'))", "ABC"),
        ("365 * 7", 2555),
        ("1 == 1", True),
        ("true", True),
    ],
)
def test_evaluates_common_functions(text: str, expected: Any) -> None:
    assert evaluate_functions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "true ? 1 : 0",
        "cidrsubnet('10.0.0.0/16', 8, 1)",
        "a.b",
        "lookup({'a': 1}, 'b')",
        "[for s in x : s]",
        "f(x=1)",
    ],
)
def test_hands_off_what_it_does_not_know(text: str) -> None:
    assert evaluate_functions(text) is NOT_HANDLED


def test_resolve_falls_back_to_checkov_for_conditionals_and_other_functions() -> None:
    scope = Scope("", {"on": True})
    assert resolve("${var.on ? 2 : 0}", scope) == 2
    assert resolve('${replace("a-b", "-", "_")}', scope) == "a_b"
    assert resolve("${merge(var.missing, {'a': 1})}", scope) == "${merge(var.missing, {'a': 1})}"
