"""Policy documents from every source Terraform accepts, read into one form before the mappers run.

A document attribute (`policy`, `assume_role_policy`, `inline_policy { policy }`, ...) may be written as
`jsonencode({...})` (already a structure), a JSON string or heredoc, `data.aws_iam_policy_document.x.json`
(or `.minified_json`), `file("${path.module}/policy.json")` or `templatefile(...)`. `DocumentSources.load`
turns each into the document dict IAM would store (None when it cannot be known); `inline_documents`
replaces the references and file calls in resource values by the documents, so every mapper reads a
document the same way, through `json_document`. An `aws_iam_role`'s `inline_policy` blocks become
policies of their own, as IAM (and the runtime collector) list them.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collectors.problems import Problem
from collectors.terraform.iam_documents import Document, render
from collectors.terraform.model import UNKNOWN, TfResource
from collectors.terraform.unknown import Unknown

DOCUMENT_ATTRIBUTE = re.compile(r"(?:^|_)polic(?:y|ies)$")  # policy, assume_role_policy, access_policies
DATA_TYPE = "aws_iam_policy_document"
_KEY = r"(?:\[[^\]]*\])?"
_DATA_REF = re.compile(
    rf"^\$\{{((?:module\.[\w-]+{_KEY}\.)*data\.{DATA_TYPE}\.[\w-]+)(\[[^\]]*\])?\.(?:json|minified_json)\}}$"
)
_FILE_CALL = re.compile(r'^\$\{(file|templatefile)\(\s*"([^"]+)"\s*(?:,(.*))?\)\}$', re.DOTALL)
_OWN_KEY = ("[count.index]", "[each.key]")
_ANY_KEY = re.compile(r"\[[^\]]*\]")
_INTERPOLATION = re.compile(r"\$\{[^{}]*\}")
_TEMPLATE_VARIABLE = re.compile(r"\$\{\s*([A-Za-z_][\w-]*)\s*\}")


def json_document(value: Any) -> dict[str, Any] | None:
    """A JSON document (policy, event pattern) as a dict; None when unknown or not a JSON object.

    A heredoc that interpolates references inside its strings (`"Resource": "${aws_s3_bucket.b.arn}/*"`)
    is still a readable document: only those string values stay unresolved, kept as their `${...}` text
    (quotes inside them, as in `this["a"]`, are escaped first so the JSON around them still parses).
    """
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return None
    for candidate in (value, _INTERPOLATION.sub(_escape_quotes, value)):
        try:
            parsed = json.loads(candidate)
        except ValueError:
            continue
        return parsed if isinstance(parsed, dict) else None
    return None


def _escape_quotes(match: re.Match[str]) -> str:
    return match.group(0).replace('"', '\\"')


class DocumentSources:
    """Documents of the `aws_iam_policy_document` instances read, and of the files the code names."""

    def __init__(self, data: list[TfResource], root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self._instances: dict[str, list[TfResource]] = {}
        for instance in data:
            base = instance.address[: len(instance.address) - len(instance.instance_key)]
            self._instances.setdefault(base, []).append(instance)
        self._rendered: dict[str, Document | Unknown | None] = {}
        self._files: dict[Path, str | OSError | UnicodeDecodeError] = {}  # text, or why it cannot be read

    def load(self, value: Any, owner: TfResource, attribute: str = "policy") -> Document | Unknown | None:
        """The document `value` stands for, in the resource `owner`; None when it cannot be known."""
        if isinstance(value, str):
            if ref := _DATA_REF.match(value):
                instance = self._instance(ref.group(1), ref.group(2), owner)
                return self.rendered(instance) if instance is not None else None
            if call := _FILE_CALL.match(value):
                return self._from_file(call.group(1), call.group(2), call.group(3), owner, attribute)
        return json_document(value)

    def rendered(self, instance: TfResource) -> Document | Unknown | None:
        """The instance's document; an Unknown holding each possible document when its statements come
        from a `dynamic` block whose for_each is not known (so a verdict all of them share still stands)."""
        if instance.address not in self._rendered:
            self._rendered[instance.address] = None  # a document that includes itself stays unknown
            known = instance.values.get("json")
            document = json_document(known) if isinstance(known, str) and "${" not in known else None
            self._rendered[instance.address] = document or self._render(instance)
        return self._rendered[instance.address]

    def _render(self, instance: TfResource) -> Document | Unknown | None:
        def load(source: Any) -> Any:
            return self.load(source, instance, "source")

        document = render(instance.values, load)
        statements = instance.values.get("statement")
        if document is not None or not isinstance(statements, Unknown) or not statements.alternatives:
            return document
        alternatives = [
            (label, render({**instance.values, "statement": s}, load)) for label, s in statements.alternatives
        ]
        if any(d is None for _, d in alternatives):
            return None
        return Unknown(f"${{{instance.address}.json}}", statements.depends_on, tuple(alternatives))

    def configured(self, reference: str, owner: TfResource) -> list[TfResource]:
        """The instances a configuration reference (`data.<type>.<name>`, module path without instance
        keys) stands for, seen from `owner`: those in the owner's module instance, with its key if several."""
        found = [
            i
            for base, instances in self._instances.items()
            if _ANY_KEY.sub("", base) == reference
            for i in instances
            if i.module == owner.module
        ]
        same_key = [i for i in found if i.instance_key == owner.instance_key]
        return same_key if len(found) > 1 else found

    def _instance(self, base: str, key: str | None, owner: TfResource) -> TfResource | None:
        """The data instance a reference names: by its literal key, or the owner's own key for
        `[count.index]` / `[each.key]`, or the only instance there is."""
        instances = self._instances.get(base, [])
        if key in _OWN_KEY:
            key = owner.instance_key
        if key is None:
            return instances[0] if len(instances) == 1 else None
        wanted = key.replace("'", '"')
        return next((i for i in instances if i.instance_key == wanted), None)

    def _from_file(
        self, function: str, name: str, arguments: str | None, owner: TfResource, attribute: str
    ) -> Document | None:
        path = self._path(name, owner)
        text = self._read(path)
        where = f"{owner.address}: {attribute}: {function}() reads {path}"
        if not isinstance(text, str):
            why = (
                "which does not exist"
                if isinstance(text, FileNotFoundError)
                else f"which cannot be read ({text})"
            )
            self.problems.append(
                Problem(owner.file, owner.line, f"{where}, {why}; the document is not judged")
            )
            return None
        if function == "templatefile":
            text = _substituted(text, _template_variables(arguments))
        document = json_document(text) if "%{" not in text else None
        if document is None:
            self.problems.append(
                Problem(
                    owner.file,
                    owner.line,
                    f"{where}, which is not a literal JSON document; the document is not judged",
                    level="warning",
                )
            )
        return document

    def _path(self, name: str, owner: TfResource) -> Path:
        """Terraform reads a relative path from the root module's directory; `${path.module}` has
        already made a module's own files a path from where the reader runs."""
        path = Path(name)
        module_dir = Path(owner.file).parent
        if path.is_absolute() or path.parts[: len(module_dir.parts)] == module_dir.parts:
            return path
        return self.root / path

    def _read(self, path: Path) -> str | OSError | UnicodeDecodeError:
        if path not in self._files:
            try:
                self._files[path] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:  # said in the Problem the caller files
                self._files[path] = exc
        return self._files[path]


def _template_variables(arguments: str | None) -> dict[str, str]:
    """The literal values of a templatefile() variables map, as the reader rendered it (`{'a': 'b'}`)."""
    try:
        node = ast.parse((arguments or "").strip() or "{}", mode="eval").body
    except SyntaxError:
        return {}
    if not isinstance(node, ast.Dict):
        return {}
    found: dict[str, str] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and isinstance(value, ast.Constant):
            found[str(key.value)] = str(value.value)
    return found


def _substituted(template: str, variables: dict[str, str]) -> str:
    """Known `${name}` interpolations replaced; the others stay `${...}` text, unknown."""

    def sub(match: re.Match[str]) -> str:
        return variables.get(match.group(1), match.group(0))

    return _TEMPLATE_VARIABLE.sub(sub, template)


def inline_documents(resources: list[TfResource], data: list[TfResource], root: Path) -> list[Problem]:
    """Replace each document attribute that names a data document or a file by the document itself."""
    sources = DocumentSources(data, root)
    for res in resources:
        for holder, key in _document_slots(res.values):
            document = sources.load(holder[key], res, key)
            if document is not None:
                holder[key] = document
    split_inline_policies(resources)
    return sources.problems


def split_inline_policies(resources: list[TfResource]) -> None:
    """Each `inline_policy` block of an aws_iam_role is a policy of its own in IAM, which the runtime
    collector reads as one: append it as an aws_iam_role_policy addressed `<role>/inline-policy/<name>`."""
    for role in [r for r in resources if r.type == "aws_iam_role"]:
        for block in role.blocks("inline_policy"):
            name = block.get("name")
            if name in (None, "") or block.get("policy") is None:
                continue  # an empty block: the provider removes every inline policy
            resources.append(
                TfResource(
                    address=f"{role.address}/inline-policy/{name}",
                    type="aws_iam_role_policy",
                    name=role.name,
                    module=role.module,
                    values={
                        "name": name,
                        "role": f"${{{role.base_address}.name}}",
                        "policy": block["policy"],
                    },
                    file=role.file,
                    line=role.line,
                    region=role.region,
                    refs={"role": [role.base_address]},
                )
            )


def _document_slots(values: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """(dict, key) for each document attribute written as a reference or call, top level or in blocks."""
    for key, value in values.items():
        if isinstance(value, str) and DOCUMENT_ATTRIBUTE.search(key) and value.startswith("${"):
            yield values, key
        elif isinstance(value, list):
            for block in value:
                if isinstance(block, dict):
                    yield from _document_slots(block)


def inline_plan_documents(resources: list[TfResource], data: list[TfResource]) -> None:
    """In a plan, a document whose data source is read only at apply is unknown in the resource: render
    it from the data source's planned values, found through the configuration's references."""
    sources = DocumentSources(data, Path("."))
    for res in resources:
        for key, value in res.values.items():
            if value != UNKNOWN or not DOCUMENT_ATTRIBUTE.search(key):
                continue
            found = [i for ref in res.refs.get(key, ()) for i in sources.configured(ref, res)]
            document = sources.rendered(found[0]) if len(found) == 1 else None
            if document is not None:
                res.values[key] = document
    split_inline_policies(resources)
