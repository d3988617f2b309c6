"""Render `data "aws_iam_policy_document"` into the IAM JSON document the AWS provider produces.

The provider's own rules (internal/service/iam: policy_document_data_source.go, policy_model.go): version
2012-10-17 by default; each `statement` block gives Sid (when set), Effect (Allow by default), and Action,
NotAction, Resource, NotResource as one string when the set holds one value, else as a list sorted in
reverse; `principals` blocks give {"<type>": identifiers} (one identifier as a string), and a single block
of type "*" with identifiers ["*"] gives the string "*"; `condition` blocks give {test: {variable: values}}
(one value as a string). `source_policy_documents` are merged first, in order; the document's own
statements then replace source statements with the same Sid and are appended otherwise; the
`override_policy_documents` are merged last the same way. Statements without a Sid are always appended.

The result is what IAM stores and the runtime collector reads back, so one policy judges both. A value
the reader cannot know stays what the reader made of it (a `${...}` reference or an Unknown) inside the
document; a document part of which cannot be known at all (an unknown source document, or `statement`
blocks of an unknown `dynamic`, whose alternatives the caller renders one by one) is None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from collectors.terraform.mapping.base import as_list
from collectors.terraform.model import is_reference

DEFAULT_VERSION = "2012-10-17"
_STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)
# statement block attribute -> document key, for the string sets
_STRING_SETS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)

Document = dict[str, Any]
Loader = Callable[[Any], Any]  # a source or override document (JSON text, a dict, a reference) -> a dict


class UnknownPart(ValueError):
    """Part of the document cannot be known statically, so the document as a whole is not known."""


def render(values: Mapping[str, Any], load: Loader) -> Document | None:
    """The document of one data source instance (its resolved HCL or plan values), or None when unknown."""
    try:
        merged: Document = {}
        for source in _documents(values.get("source_policy_documents"), load):
            _merge(merged, source)
        _merge(merged, _own_document(values))
        for override in _documents(values.get("override_policy_documents"), load):
            _merge(merged, override)
    except UnknownPart:
        return None
    return _ordered(merged, ("Version", "Id", "Statement"))


def _documents(value: Any, load: Loader) -> list[Document]:
    """Source or override documents as the provider re-reads them (unknown keys dropped, principals and
    conditions in its own form)."""
    if is_reference(value):
        raise UnknownPart(str(value))
    found = []
    for item in as_list(value):
        if item is None:
            continue  # the provider skips a null entry
        document = load(item)
        if not isinstance(document, dict):
            raise UnknownPart(str(item))
        found.append(_reread(document))
    return found


def _reread(document: Mapping[str, Any]) -> Document:
    out: Document = {}
    for key in ("Version", "Id"):
        if isinstance(document.get(key), str) and document[key]:
            out[key] = document[key]
    raw = document.get("Statement")
    statements = [raw] if isinstance(raw, Mapping) else as_list(raw)
    out["Statement"] = [_reread_statement(s) for s in statements if isinstance(s, Mapping)]
    return out


def _reread_statement(statement: Mapping[str, Any]) -> Document:
    out = {k: statement[k] for k in _STATEMENT_KEYS if statement.get(k) not in (None, "", [], {})}
    for key in ("Principal", "NotPrincipal"):
        if key in out:
            out[key] = _principal_set(_parsed_principals(out[key]))
    if isinstance(out.get("Condition"), Mapping):
        out["Condition"] = _condition_set(_parsed_conditions(out["Condition"]))
    return out


def _own_document(values: Mapping[str, Any]) -> Document:
    version = values.get("version")
    out: Document = {"Version": version if isinstance(version, str) and version else DEFAULT_VERSION}
    policy_id = values.get("policy_id")
    if isinstance(policy_id, str) and policy_id:
        out["Id"] = policy_id
    blocks = values.get("statement")
    if is_reference(blocks) or any(is_reference(b) for b in as_list(blocks)):
        raise UnknownPart("statement")  # statements from a dynamic block whose for_each is not known
    out["Statement"] = [_statement(block) for block in as_list(blocks) if isinstance(block, Mapping)]
    return out


def _statement(block: Mapping[str, Any]) -> Document:
    out: Document = {}
    sid = block.get("sid")
    if sid not in (None, ""):
        out["Sid"] = sid
    effect = block.get("effect")
    out["Effect"] = effect if effect not in (None, "") else "Allow"
    for attribute, key in _STRING_SETS:
        strings = _string_set(block.get(attribute))
        if strings is not None:
            out[key] = _variables(strings) if "Resource" in key else strings
    for attribute, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = [
            (p.get("type"), _variables(_string_set(p.get("identifiers"))))
            for p in as_list(block.get(attribute))
            if isinstance(p, Mapping)
        ]
        if principals:
            out[key] = _principal_set(principals)
    conditions = [
        (c.get("test"), c.get("variable"), _variables([_text(v) for v in as_list(c.get("values"))]))
        for c in as_list(block.get("condition"))
        if isinstance(c, Mapping)
    ]
    if conditions:
        out["Condition"] = _condition_set(conditions)
    return _ordered(out, _STATEMENT_KEYS)


def _string_set(value: Any) -> str | list[str] | None:
    """A set of strings as the provider writes it: one value alone, several sorted in reverse; None if empty.

    A whole set that is not known (`actions = var.actions`) stays its `${...}` text.
    """
    if isinstance(value, str) and "${" in value:
        return value
    strings = sorted({_text(v) for v in as_list(value) if v is not None}, reverse=True)
    if not strings:
        return None
    return strings[0] if len(strings) == 1 else strings


def _variables(value: Any) -> Any:
    """IAM policy variables are written `&{aws:username}` in HCL; the provider turns them into `${...}`."""
    if isinstance(value, str):
        return value.replace("&{", "${") if "&{" in value else value  # an Unknown stays one
    if isinstance(value, list):
        return [_variables(v) for v in value]
    return value


def _principal_set(principals: list[tuple[Any, Any]]) -> Any:
    """Principal blocks as the provider marshals them."""
    if len(principals) == 1 and principals[0][0] == "*" and principals[0][1] in ("*", ["*"]):
        return "*"
    out: dict[str, Any] = {}
    for kind, identifiers in principals:
        key = _text(kind)
        if isinstance(identifiers, list):
            ordered = sorted((_text(i) for i in identifiers), reverse=True)
            out[key] = [*as_list(out.get(key)), *ordered]
        elif key in out:
            out[key] = [*as_list(out[key]), identifiers]
        else:
            out[key] = identifiers
    return out


def _parsed_principals(value: Any) -> list[tuple[Any, Any]]:
    """A Principal element read back as principal blocks (a string means everyone)."""
    if isinstance(value, str):
        return [("*", ["*"])]
    if isinstance(value, Mapping):
        return [(k, sorted(v) if isinstance(v, list) else v) for k, v in value.items()]
    return []


def _condition_set(conditions: list[tuple[Any, Any, list[Any]]]) -> dict[str, dict[str, Any]]:
    """{test: {variable: values}}: blocks on the same test and variable add up; one value is a string."""
    out: dict[str, dict[str, list[Any]]] = {}
    for test, variable, values in conditions:
        out.setdefault(_text(test), {}).setdefault(_text(variable), []).extend(values)
    return {
        test: {variable: found[0] if len(found) == 1 else found for variable, found in by_variable.items()}
        for test, by_variable in out.items()
    }


def _parsed_conditions(value: Mapping[str, Any]) -> list[tuple[Any, Any, list[Any]]]:
    found = []
    for test, by_variable in value.items():
        if isinstance(by_variable, Mapping):
            found += [(test, var, [_text(v) for v in as_list(values)]) for var, values in by_variable.items()]
    return found


def _merge(into: Document, document: Document) -> None:
    """The provider's IAMPolicyDoc.Merge: adopt Id, upgrade Version, replace statements by Sid or append."""
    if document.get("Id"):
        into["Id"] = document["Id"]
    if str(document.get("Version") or "") > str(into.get("Version") or ""):
        into["Version"] = document["Version"]
    statements: list[Document] = into.setdefault("Statement", [])
    for statement in document.get("Statement") or []:
        sid = statement.get("Sid")
        same = next((i for i, s in enumerate(statements) if sid and s.get("Sid") == sid), None)
        if same is None:
            statements.append(statement)
        else:
            statements[same] = statement


def _ordered(document: Document, keys: tuple[str, ...]) -> Document:
    """The provider's key order, without the empty keys it omits."""
    return {k: document[k] for k in keys if document.get(k) not in (None, "", [], {})}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else str(value)
