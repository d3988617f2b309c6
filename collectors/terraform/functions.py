"""A small, safe evaluator for the Terraform functions most configurations use.

Expressions arrive in the parser's Python-like rendering (`merge({'a': 1}, local_value)` after substitution),
so Python's own expression parser reads them; only literals, a fixed table of functions and basic arithmetic
and comparison are evaluated. Anything else returns NOT_HANDLED and goes to checkov's fuller evaluator.
"""

from __future__ import annotations

import ast
import json
import operator
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

NOT_HANDLED = object()
_FORMAT_VERB = re.compile(r"%[sdvq]")


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if not isinstance(m, dict):
            raise TypeError("merge takes maps")
        out.update(m)
    return out


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    if isinstance(m, dict) and key in m:
        return m[key]
    if default:
        return default[0]
    raise KeyError(key)


def _coalesce(*values: Any) -> Any:
    return next(v for v in values if v not in (None, ""))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "merge": _merge,
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "lookup": _lookup,
    "length": len,
    "lower": str.lower,
    "upper": str.upper,
    "toset": lambda v: sorted(set(v), key=str),
    "tolist": list,
    "tomap": dict,
    "tostring": str,
    "tonumber": lambda v: json.loads(str(v)),
    "jsonencode": lambda v: v,  # a document stays a structure: policies read it as such
    "jsondecode": lambda v: json.loads(v),
    "join": lambda sep, items: sep.join(str(i) for i in items),
    "format": lambda fmt, *args: (
        _FORMAT_VERB.sub("{}", fmt.replace("{", "{{").replace("}", "}}")).format(*args).replace("%%", "%")
    ),
    "coalesce": _coalesce,
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "min": min,
    "max": max,
    "flatten": lambda lists: [x for lst in lists for x in (lst if isinstance(lst, list) else [lst])],
    "distinct": lambda items: list(dict.fromkeys(items)),
    "contains": lambda items, v: v in items,
    "replace": lambda s, old, new: s.replace(old, new),
    "trimspace": str.strip,
}
_NAMES = {"true": True, "false": False, "null": None}
_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


class _Unsupported(Exception):
    """The expression uses something this evaluator does not do."""


def _eval(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e) for e in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_eval(k): _eval(v) for k, v in zip(node.keys, node.values, strict=True)}  # type: ignore[arg-type]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
        if node.keywords:
            raise _Unsupported
        return FUNCTIONS[node.func.id](*(_eval(a) for a in node.args))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        return _COMPARE[type(node.ops[0])](_eval(node.left), _eval(node.comparators[0]))
    raise _Unsupported


@lru_cache(maxsize=8192)
def _parsed(text: str) -> ast.expr:
    """The expression tree of `text` (parsed once: the same expression recurs in every resource instance)."""
    return ast.parse(text, mode="eval").body


def evaluate_functions(text: str) -> Any:
    """The value of `text`, or NOT_HANDLED when it needs more than this evaluator knows."""
    if "?" in text or "&&" in text or "||" in text or "[for" in text or "{for" in text:
        return NOT_HANDLED  # conditionals, logic and for-expressions: HCL syntax, not Python's
    try:
        return _eval(_parsed(text.strip()))
    except (
        _Unsupported,
        SyntaxError,
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        StopIteration,
        ZeroDivisionError,
        AttributeError,
        RecursionError,
    ):
        return NOT_HANDLED
