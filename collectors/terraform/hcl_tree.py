"""HCL through tree-sitter, converted into exactly the dict form checkov's `hcl2` fork returns.

The reader was written against hcl2's output: a dict per file of block types to lists, attributes wrapped
in one-element lists, expressions rendered back as `${...}` strings in hcl2's Python-like way (function
arguments joined by ",", `True`/`None`, parentheses dropped, literals inside expressions kept quoted),
string escapes kept as written, and `__start_line__` / `__end_line__` on top-level blocks. tree-sitter's
C parser gives a syntax tree with positions; this module renders it the way hcl2's transformer renders
its own, in about a fifth of hcl2's time (tests compare both on every .tf file). One deliberate difference:
a legacy index of several digits (`list.10`) keeps them all, where hcl2 keeps the first.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser

START_LINE = "__start_line__"
END_LINE = "__end_line__"
_NO_LABEL = {"locals", "terraform"}
_ONE_LABEL = {"module", "provider", "variable"}
_TWO_LABELS = {"data", "resource"}
_SUFFIXES = {"get_attr", "index", "splat"}
_KEYWORDS = {"true": True, "false": False, "null": None}
_HEREDOC = re.compile(r"<<([a-zA-Z][a-zA-Z0-9._-]+)\n(([^\n]|\n)*)\n\s*\1", re.S)
_HEREDOC_TRIM = re.compile(r"<<-([a-zA-Z][a-zA-Z0-9._-]+)\n(([^\n]|\n)*)\n\s*\1", re.S)

_parser = Parser(Language(tree_sitter_hcl.language()))


class HclSyntaxError(ValueError):
    """The text is not valid HCL; `line` is where the first error is (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class Unsupported(ValueError):
    """Valid HCL with a construct this converter does not render; the caller parses the file with hcl2."""


class Heredoc(str):
    """A heredoc's text in quotes, as hcl2 keeps it until the attribute strips them."""


def loads(source: bytes) -> dict[str, Any]:
    """Parse HCL source into hcl2's form; HclSyntaxError names the first line that does not parse."""
    tree = _parser.parse(source)
    root = tree.root_node
    if root.has_error:
        raise _syntax_error(root)
    body = next((c for c in root.children if c.type == "body"), None)
    return _body(body) if body is not None else {}


def _syntax_error(root: Node) -> HclSyntaxError:
    node = _first_error(root) or root
    line = node.start_point.row + 1
    if node.is_missing:
        return HclSyntaxError(line, f"missing {node.type!r}")
    text = (node.text or b"").decode("utf-8", "replace").strip().splitlines()
    near = f" near {text[0][:40]!r}" if text else ""
    return HclSyntaxError(line, f"unexpected input{near}")


def _first_error(node: Node) -> Node | None:
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            return _first_error(child)
    return None


def _first(node: Node, kind: str) -> Node:
    """The first child of a kind (comments may sit anywhere between tokens)."""
    for child in node.children:
        if child.type == kind:
            return child
    raise Unsupported(f"line {node.start_point.row + 1}: {node.type} without {kind}")


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8")


def _body(node: Node) -> dict[str, Any]:
    """Attributes and blocks; a repeated key collects every value in one list, as hcl2's body does."""
    result: dict[str, Any] = {}
    for child in node.children:
        kind = child.type
        if kind == "attribute":
            children = child.children  # name, "=", (comments), expression: the expression comes last
            key, value = _text(children[0]), _dollar(_term(children[-1].children))
        elif kind == "block":
            key, value = _block(child)
        else:
            continue  # comments
        if key not in result:
            result[key] = [value]
        elif isinstance(value, list):
            result[key].extend(value)
        else:
            result[key].append(value)
    return result


def _block(node: Node) -> tuple[str, dict[str, Any]]:
    labels: list[str] = []
    body: dict[str, Any] = {}
    for child in node.children:
        kind = child.type
        if kind == "identifier":
            labels.append(_text(child))
        elif kind == "string_lit":
            labels.append(_text(child)[1:-1])
        elif kind == "body":
            body = _body(child)
    kind = labels[0]
    result: dict[str, Any] = {}
    level = result
    for label in labels[:-1]:
        level[label] = {}
        level = level[label]
    level[labels[-1]] = body
    if kind in _TWO_LABELS and len(labels) >= 3:
        result[kind][labels[1]][labels[2]].update(_lines(node))
    elif kind in _ONE_LABEL and len(labels) >= 2:
        result[kind][labels[1]].update(_lines(node))
    elif kind in _NO_LABEL:
        result[kind].update(_lines(node))
    return kind, result[kind]


def _lines(node: Node) -> dict[str, int]:
    return {START_LINE: node.start_point.row + 1, END_LINE: node.end_point.row + 1}


def _dollar(value: Any) -> Any:
    """hcl2's `to_string_dollar`: a quoted literal loses its quotes, any other expression text gets `${}`."""
    if not isinstance(value, str):
        return value
    if isinstance(value, Heredoc):
        return str(value)[1:-1]
    if value.startswith('"') and value.endswith('"'):
        if value.startswith('"${') and value.endswith('}"'):
            return value[1:-1]
        slash_at_end = 1 if value.endswith('\\"') else 0
        if value.count('"') - (value.count('\\"') - slash_at_end) == 2:
            return value[1:-1]
    return f"${{{value}}}"


def _expression(node: Node) -> Any:
    """An `expression` node: a term and its suffixes, rendered the hcl2 way."""
    return _term(node.children)


def _term(parts: list[Node]) -> Any:
    """A run of sibling nodes forming one term (tree-sitter inlines an operand's term into its operation).
    Parentheses are dropped, as hcl2 drops them."""
    value: Any = None
    for child in parts:
        kind = child.type
        render = _PRIMARY.get(kind)
        if render is not None:
            value = render(child)
        elif kind in _SUFFIXES:
            value = f"{value}{_suffix(child)}"
        elif kind not in ("(", ")", "comment"):
            raise Unsupported(f"line {child.start_point.row + 1}: {kind}")
    return value


def _suffix(node: Node) -> str:
    """`.name`, `[key]`, `.0`, `.*.name`, `[*].name`."""
    if node.type == "get_attr":
        return f".{_text(node.children[-1])}"
    child = node.children[0]
    kind = child.type
    if kind == "new_index":
        return f"[{_expression(_first(child, 'expression'))}]"
    if kind == "legacy_index":
        return f"[{_text(child)[1:]}]"
    if kind in ("attr_splat", "full_splat"):
        mark = ".*" if kind == "attr_splat" else "[*]"
        return mark + "".join(_suffix(c) for c in child.children if c.type in _SUFFIXES)
    raise Unsupported(f"line {child.start_point.row + 1}: {kind}")


def _literal(node: Node) -> Any:
    """A number, `true`, `false`, `null`, or a string without interpolation (quotes, escapes as written)."""
    text = _text(node)
    if text[0] == '"':
        return text
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    return int(text) if text.isdigit() else float(text)


def _template(node: Node) -> str:
    child = node.children[0]
    if child.type != "heredoc_template":
        return _text(child)  # a quoted template: its source, interpolations and all
    text = _text(child)
    trim = child.children[0].children[0].type == "<<-"
    match = (_HEREDOC_TRIM if trim else _HEREDOC).match(text)
    if match is None:
        if any(c.type == "template_literal" for c in child.children):
            raise Unsupported(f"line {child.start_point.row + 1}: heredoc")
        return Heredoc('""')  # an empty heredoc, which hcl2's pattern does not match
    content = match.group(2)
    if trim:
        lines = content.split("\n")
        indent = min((len(line) - len(line.lstrip(" ")) for line in lines), default=sys.maxsize)
        content = "\n".join(line[indent:] for line in lines)
    return Heredoc(f'"{content}"')


def _function_call(node: Node) -> str:
    children = node.children
    name = _text(children[0])
    args: list[Any] = []
    for child in children:
        if child.type == "function_arguments":
            args = [_expression(a) for a in child.children if a.type == "expression"]
    separator = ", " if "::" in name else ","  # hcl2 joins provider-defined function arguments apart
    return f"{name}({separator.join(str(a) for a in args)})"


def _collection(node: Node) -> Any:
    child = node.children[0]
    if child.type == "tuple":
        return [_dollar(_expression(c)) for c in child.children if c.type == "expression"]
    result: dict[Any, Any] = {}
    for elem in child.children:
        if elem.type == "object_elem":
            key_node = elem.child_by_field_name("key")
            value_node = elem.child_by_field_name("val")
            if key_node is None or value_node is None:
                raise Unsupported(f"line {elem.start_point.row + 1}: object element")
            result[_object_key(key_node)] = _dollar(_expression(value_node))
    return result


def _object_key(node: Node) -> Any:
    """hcl2 reads a bare word key (`true`, `null` included) as a name, any other key as an expression."""
    children = node.children
    if len(children) == 1 and children[0].type == "literal_value":
        literal = children[0].children[0]
        if literal.type in ("bool_lit", "null_lit"):
            return _text(literal)
    key = _expression(node)
    return key[1:-1] if isinstance(key, str) and key.startswith('"') and key.endswith('"') else key


def _operation(node: Node) -> str:
    child = node.children[0]
    parts = child.children
    if child.type == "unary_operation":
        return f"{_text(parts[0])}{_term(parts[1:])}"
    at = next(i for i, p in enumerate(parts) if not p.is_named and p.type not in ("(", ")"))
    return f"{_term(parts[:at])} {_text(parts[at])} {_term(parts[at + 1 :])}"


def _conditional(node: Node) -> str:
    test, yes, no = (_expression(c) for c in node.children if c.type == "expression")
    return f"{test} ? {yes} : {no}"


def _for(node: Node) -> str:
    child = node.children[0]
    words: list[str] = []
    for part in child.children:
        kind = part.type
        if kind in ("for_intro", "for_cond"):
            words.append(" ".join(_word(p) for p in part.children if p.type != "comment"))
        elif kind in ("expression", "=>", "ellipsis"):
            words.append(_word(part))
    inner = " ".join(words)
    return f"[{inner}]" if child.type == "for_tuple_expr" else f"{{{inner}}}"


def _word(node: Node) -> str:
    return str(_expression(node)) if node.type == "expression" else _text(node)


_PRIMARY = {
    "expression": _expression,
    "literal_value": _literal,
    "variable_expr": _text,
    "template_expr": _template,
    "function_call": _function_call,
    "collection_value": _collection,
    "operation": _operation,
    "conditional": _conditional,
    "for_expr": _for,
}
