"""Static evaluation of Terraform expressions, as far as they can be known without a plan.

Variables, locals, `each`, `count` and module outputs are substituted; functions and conditionals are
evaluated by checkov's HCL evaluator (the same dependency that parses HCL, so there is one HCL stack).
Anything that depends on another resource stays a `${...}` string, with its address qualified by module,
so that sibling resources can still be joined to their parent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from collectors.terraform.functions import NOT_HANDLED, evaluate_functions
from collectors.terraform.unknown import Unknown, contains_unknown, opaque_roots

_WHOLE = re.compile(r"^\$\{(.*)\}$", re.DOTALL)
_INTERP = re.compile(r"\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_PATH = r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[[^\[\]]*\])*"
_REF = re.compile(rf"(?<![\w.\"'])({_PATH})")
_PLAIN_PATH = re.compile(rf"^{_PATH}$")
_RESOURCE = re.compile(r"^(data\.)?([a-z][a-z0-9]*_[\w-]+)\.([A-Za-z_][\w-]*)")
_SPECIAL_NEEDS_EVAL = re.compile(r"[()?<>=!&|+*/%]|\s-\s")
_UNRESOLVED = object()
_PURE_LITERAL = re.compile(r"""(['"])\$\{([^{}'"]*)\}\1""")
_QUOTED_PLACEHOLDER = re.compile(r'\$\{"(\$\{[^"{}]*\})"\}')
_SCOPE_ROOTS = frozenset({"var", "local", "module", "each", "count"})
_KEY = r"(?:\[[^\]]*\])?"
_MODULE_RESOURCE = re.compile(
    rf"(module\.[\w-]+{_KEY}(?:\.module\.[\w-]+{_KEY})*\.[a-z][a-z0-9]*_[\w-]+\.[A-Za-z_][\w-]*)"
)


@dataclass
class Scope:
    """What names mean inside one module instance (and one resource instance for each/count)."""

    module: str
    variables: dict[str, Any]
    locals: dict[str, Any] = field(default_factory=dict)
    module_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    each: tuple[Any, Any] | None = None
    count_index: int | None = None
    path_module: str = "."
    iterators: dict[str, dict[str, Any]] = field(default_factory=dict)  # dynamic blocks: name -> {key, value}
    types: dict[str, str] = field(default_factory=dict)  # variable name -> declared type (string, list, ...)

    def child(self, *, each: tuple[Any, Any] | None = None, count_index: int | None = None) -> Scope:
        scope = Scope(
            self.module, self.variables, self.locals, self.module_outputs, each, count_index, self.path_module
        )
        scope.types = self.types
        return scope

    def iterating(self, name: str, key: Any, value: Any) -> Scope:
        scope = self.child(each=self.each, count_index=self.count_index)
        scope.iterators = {**self.iterators, name: {"key": key, "value": value}}
        return scope


def _step(value: Any, part: str) -> Any:
    if isinstance(value, Unknown):
        return value  # a part of an unknown value is unknown, for the same reasons
    if part.startswith("["):
        key = part[1:-1].strip().strip('"')
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            return value[int(key)]
        if isinstance(value, dict) and key in value:
            return value[key]
        return _UNRESOLVED
    if isinstance(value, dict) and part in value:
        return value[part]
    return _UNRESOLVED


def _split_path(path: str) -> list[str]:
    return re.findall(r"[A-Za-z_][\w-]*|\[[^\[\]]*\]", path)


def _lookup(path: str, scope: Scope) -> Any:
    """The value a reference names, or _UNRESOLVED."""
    parts = _split_path(path)
    head = parts[0]
    roots: dict[str, Callable[[], Any]] = {
        "var": lambda: scope.variables,
        "local": lambda: scope.locals,
        "module": lambda: scope.module_outputs,
        "path": lambda: {"module": scope.path_module, "root": ".", "cwd": "."},
    }
    if head == "each" and scope.each is not None:
        value: Any = {"key": scope.each[0], "value": scope.each[1]}
    elif head == "count" and scope.count_index is not None:
        value = {"index": scope.count_index}
    elif head in scope.iterators:
        value = scope.iterators[head]
    elif head in roots:
        value = roots[head]()
    else:
        return _UNRESOLVED
    for part in parts[1:]:
        value = _step(value, part)
        if value is _UNRESOLVED:
            return value
    return value


def qualify(path: str, module: str) -> str | None:
    """The module-qualified base address a resource reference points at, or None if it is not one."""
    match = _RESOURCE.match(path)
    if match is None or match.group(2) in {"var", "local", "each", "count", "module", "path", "self"}:
        return None
    data, rtype, name = match.groups()
    base = f"{data or ''}{rtype}.{name}"
    return f"{module}.{base}" if module else base


def _literal(value: Any) -> str:
    return json.dumps(value, default=sorted)


@cache
def _checkov_evaluate() -> Callable[[str], Any]:
    from checkov.terraform.graph_builder.variable_rendering.evaluate_terraform import evaluate_terraform

    return evaluate_terraform


def _qualified_text(expr: str, scope: Scope) -> str:
    def sub(m: re.Match[str]) -> str:
        path = m.group(1)
        return f"{scope.module}.{path}" if scope.module and qualify(path, "") else path

    return _REF.sub(sub, expr)


def _is_resource_ref(path: str) -> bool:
    """A reference to a managed resource's attribute (not a data source, input, local or iterator)."""
    return bool(qualify(path, "")) and not path.startswith("data.")


def _dependency_name(path: str, scope: Scope) -> str:
    """A dependency as a user finds it: `var.x` in the root module, `module.net.var.x` in a child."""
    if scope.module and not _is_resource_ref(path):
        return f"{scope.module}.{path}"
    return _qualified_text(path, scope)


def _unresolved_value(expr: str, scope: Scope, paths: list[str]) -> str:
    """The value of an expression that depends on what cannot be known: a reference or an Unknown."""
    text = "${" + _qualified_text(expr, scope) + "}"
    if len(paths) == 1 and _PLAIN_PATH.match(expr) and _is_resource_ref(paths[0]):
        return text  # a managed resource's attribute: a reference, as the joins expect
    depends = opaque_roots([_dependency_name(p, scope) for p in paths])
    kind = scope.types.get(expr[4:], "") if expr.startswith("var.") and _PLAIN_PATH.match(expr) else ""
    return Unknown(text, depends, _alternatives(expr, scope), kind=kind)


def evaluate_expression(expr: str, scope: Scope) -> Any:
    """Evaluate the inside of one `${...}`; a reference or an `Unknown` (qualified) if it cannot be known."""
    expr = expr.strip()
    if _PLAIN_PATH.match(expr):
        value = _lookup(expr, scope)
        return _unresolved_value(expr, scope, [expr]) if value is _UNRESOLVED else value
    # Inside jsonencode() an unknown value is only a leaf of the document: keep the structure, with the
    # reference as a "${...}" string leaf, so that e.g. a policy document's Action and Effect stay judgeable.
    parts = split_conditional(expr)
    if parts is not None:
        condition = evaluate_expression(parts[0], scope)
        if isinstance(condition, bool):  # a known condition: only its branch matters, known or not
            return evaluate_expression(parts[1] if condition else parts[2], scope)
    placeholders = expr.startswith("jsonencode(")
    unresolved: list[str] = []

    def sub(m: re.Match[str]) -> str:
        path = m.group(1)
        value = _lookup(path, scope)
        if value is not _UNRESOLVED and not (
            not placeholders and (contains_unknown(value) or _has_reference(value))
        ):
            return _literal(value)
        if value is not _UNRESOLVED or qualify(path, scope.module) or path.split(".")[0] in _SCOPE_ROOTS:
            if placeholders:
                return _literal("${" + _qualified_text(path, scope) + "}")
            unresolved.append(path)
        return path

    substituted = _REF.sub(sub, expr)
    if unresolved:
        return _unresolved_value(expr, scope, unresolved)
    if placeholders:
        return _unquote_placeholders(_evaluated(substituted, "${" + _qualified_text(expr, scope) + "}"))
    if not _SPECIAL_NEEDS_EVAL.search(substituted):
        try:
            return json.loads(substituted)
        except ValueError:
            return substituted
    return _evaluated(substituted, "${" + _qualified_text(expr, scope) + "}")


def _has_reference(value: Any) -> bool:
    """A value that holds a `${...}` reference somewhere: comparing or computing with it guesses."""
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, list):
        return any(_has_reference(v) for v in value)
    if isinstance(value, dict):
        return any(_has_reference(v) for v in value.values())
    return False


def _alternatives(expr: str, scope: Scope) -> tuple[tuple[str, Any], ...]:
    """The branches of `cond ? a : b` whose condition is unknown, if each branch is known or a reference."""
    parts = split_conditional(expr)
    if parts is None:
        return ()
    condition, *branches = parts
    found: list[tuple[str, Any]] = []
    for label, branch in zip((f"if {condition}", f"unless {condition}"), branches, strict=True):
        value = evaluate_expression(branch, scope)
        if isinstance(value, Unknown) and value.alternatives:
            found.extend((f"{label}, {inner}", v) for inner, v in value.alternatives)
        elif contains_unknown(value):
            return ()  # a branch that is itself unknown: the value is not one of a known few
        else:
            found.append((label, value))
    return tuple(found)


_PAIRS = {"(": ")", "[": "]", "{": "}"}


def split_conditional(expr: str) -> tuple[str, str, str] | None:
    """`cond ? a : b` at the top level of `expr` (outside quotes and brackets) as (cond, a, b), else None."""
    depth, quote, question, nested = 0, "", -1, 0
    for i, char in enumerate(expr):
        if quote:
            if char == quote and expr[i - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _PAIRS:
            depth += 1
        elif char in _PAIRS.values():
            depth -= 1
        elif depth == 0 and char == "?":
            if question < 0:
                question = i
            else:
                nested += 1
        elif depth == 0 and char == ":" and question >= 0:
            if nested:
                nested -= 1
                continue
            return expr[:question].strip(), expr[question + 1 : i].strip(), expr[i + 1 :].strip()
    return None


def _unquote_placeholders(value: Any) -> Any:
    """A placeholder that landed inside a string literal reads `${"${ref}"}`: make it `${ref}`."""
    if isinstance(value, str):
        return _QUOTED_PLACEHOLDER.sub(r"\1", value)
    if isinstance(value, list):
        return [_unquote_placeholders(v) for v in value]
    if isinstance(value, dict):
        return {k: _unquote_placeholders(v) for k, v in value.items()}
    return value


def _evaluated(text: str, fallback: str) -> Any:
    """Functions, operators and conditionals, through checkov's evaluator; `fallback` where it cannot."""
    if re.match(r"^\s*[\[{]\s*for\s", text):
        return Unknown(
            fallback, (f"expression {fallback[2:-1]}",)
        )  # for-expressions: not evaluated statically
    result = evaluate_functions(text)
    if result is not NOT_HANDLED:
        return result
    result = _checkov_evaluate()(text)
    if result is None or (isinstance(result, str) and result.strip() == text.strip()):
        return Unknown(fallback, (f"expression {fallback[2:-1]}",))
    if result in ("true", "false"):
        return result == "true"
    return result


def resolve(value: Any, scope: Scope) -> Any:
    """Resolve every expression inside a parsed HCL value."""
    if isinstance(value, str):
        return _resolve_string(value, scope) if "${" in value else value
    if isinstance(value, list):
        return [resolve(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, scope) for k, v in value.items()}
    return value


def _resolve_string(text: str, scope: Scope) -> Any:
    whole = _WHOLE.match(text)
    if whole:
        inner = _PURE_LITERAL.sub(r"\2", whole.group(1))  # "${x}" inside an expression is just x
        if "${" in inner:
            inner = _INTERP.sub(lambda m: _inline_known(m, scope), inner)
        if "${" not in inner or inner.startswith("jsonencode("):
            return evaluate_expression(inner, scope)

    parts: list[str] = []
    position = 0
    for m in _INTERP.finditer(text):
        value = evaluate_expression(m.group(1), scope)
        parts += [text[position : m.start()], value if isinstance(value, str) else _literal(value).strip('"')]
        position = m.end()
    parts.append(text[position:])
    result = "".join(parts)
    unknown = [p for p in parts if isinstance(p, Unknown)]
    if not unknown:
        return result
    return Unknown(result, tuple(d for u in unknown for d in u.depends_on), template=tuple(parts))


def _inline_known(match: re.Match[str], scope: Scope) -> str:
    """A nested interpolation inside a string literal, replaced by its value when that is known text."""
    value = evaluate_expression(match.group(1), scope)
    if isinstance(value, str) and "${" not in value:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return match.group(0)


def references(value: Any) -> list[str]:
    """Base addresses referenced anywhere inside an already-resolved value."""
    found: list[str] = []
    if isinstance(value, str) and "${" in value:
        for m in _REF.finditer(value):
            match = _RESOURCE.match(m.group(1))
            if match and not match.group(1):
                found.append(m.group(1)[: match.end()])
        found.extend(m.group(1) for m in _MODULE_RESOURCE.finditer(value))
    elif isinstance(value, list):
        for v in value:
            found.extend(references(v))
    elif isinstance(value, dict):
        for v in value.values():
            found.extend(references(v))
    return sorted(set(found))
