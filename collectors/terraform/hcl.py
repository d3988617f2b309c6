"""Read a Terraform root module from HCL: files, variables, locals, local modules, count and for_each."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collectors.problems import Problem
from collectors.terraform.expressions import Scope, references, resolve
from collectors.terraform.model import TfResource
from collectors.terraform.parsing import parse_files
from collectors.terraform.unknown import Unknown
from collectors.terraform.variables import VarInputs, declared_types, module_variables, root_variables

META = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "dynamic"}
MAX_MODULE_DEPTH = 16
DATA_SOURCES = frozenset({"aws_iam_policy_document"})  # data sources read (rendered in iam_documents.py)


def normalise(body: dict[str, Any]) -> dict[str, Any]:
    """Undo the parser's wrapping: attributes come as one-element lists, blocks as lists of dicts."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key.startswith("__"):
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[key] = [normalise(v) for v in value]
        else:
            out[key] = attribute(value)
    return out


_ESCAPE = re.compile(r'\\(["\\nrt])')
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def unescape(value: Any) -> Any:
    """The parser keeps HCL string escapes (\\" \\n ...) as written; literal strings get their real text."""
    if isinstance(value, str):
        return (
            _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], value)
            if "\\" in value and "${" not in value
            else value
        )
    if isinstance(value, list):
        return [unescape(v) for v in value]
    if isinstance(value, dict):
        return {k: unescape(v) for k, v in value.items()}
    return value


def attribute(raw: Any) -> Any:
    """An attribute's value as written: the parser wraps each attribute in a one-element list."""
    return unescape(raw[0] if isinstance(raw, list) and len(raw) == 1 else raw)


def arguments(body: dict[str, Any]) -> dict[str, Any]:
    """A block whose entries are all attributes (module arguments, locals): maps stay maps."""
    return {k: attribute(v) for k, v in body.items() if not k.startswith("__")}


@dataclass
class _Module:
    directory: Path
    files: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)

    def blocks(self, kind: str) -> Iterator[tuple[Path, str, dict[str, Any]]]:
        """(file, label, body) for `variable`, `module`, `output`, `provider` blocks."""
        for path, parsed in self.files:
            for entry in parsed.get(kind, []):
                for label, body in entry.items():
                    yield path, label, body

    def resources(self, kind: str = "resource") -> Iterator[tuple[Path, str, str, dict[str, Any]]]:
        """(file, type, name, body) of the `resource` blocks, or of the `data` blocks."""
        for path, parsed in self.files:
            for entry in parsed.get(kind, []):
                for rtype, named in entry.items():
                    for name, body in named.items():
                        yield path, rtype, name, body

    def locals(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for _, parsed in self.files:
            for block in parsed.get("locals", []):
                merged.update(arguments(block))
        return merged


class HclReader:
    """Walks a root module and the local modules it calls, producing resource instances."""

    def __init__(self, variables: VarInputs | None = None) -> None:
        self.variables = variables or VarInputs()  # the root module's tfvars options and TF_VAR_ environment
        self.undeclared_vars: set[str] = set()  # --var names the root does not declare (when not checked)
        self.problems: list[Problem] = []
        self.resources: list[TfResource] = []
        self.data: list[TfResource] = []  # instances of the DATA_SOURCES, addressed `data.<type>.<name>`
        self.directories: set[Path] = set()  # every module directory read, so callers can skip them as roots

    def read_module_files(self, directory: Path) -> _Module:
        module = _Module(directory)
        self.directories.add(directory.resolve())
        for name, parsed, problem in parse_files(sorted(directory.glob("*.tf"))):
            if problem is not None:
                self.problems.append(problem)
            elif parsed is not None:
                module.files.append((Path(name), parsed))
        return module

    def load(
        self,
        directory: Path,
        prefix: str = "",
        inputs: dict[str, Any] | None = None,
        regions: dict[str, str | None] | None = None,
        depth: int = 0,
    ) -> dict[str, Any]:
        """Load one module instance; return its outputs."""
        module = self.read_module_files(directory)
        declared = list(module.blocks("variable"))
        if depth == 0:
            loaded = root_variables(directory, declared, self.variables)
            self.undeclared_vars = loaded.undeclared_cli
        else:
            loaded = module_variables(declared, inputs or {}, f"{prefix} ({directory})")
        self.problems += loaded.problems
        scope = Scope(prefix, loaded.values, path_module=str(directory))
        scope.types = declared_types(declared)
        raw_locals = module.locals()
        scope.locals = _resolve_locals(raw_locals, scope)
        regions = self._providers(module, scope, dict(regions or {}))
        for path, label, body in module.blocks("module"):
            self._call_module(path, label, body, scope, regions, depth)
        scope.locals = _resolve_locals(raw_locals, scope)
        for path, rtype, name, body in module.resources():
            self._expand(path, rtype, name, body, scope, regions)
        for path, rtype, name, body in module.resources("data"):
            if rtype in DATA_SOURCES:
                self._expand(path, rtype, name, body, scope, regions, data=True)
        return {
            label: resolve(attribute(body.get("value")), scope) for _, label, body in module.blocks("output")
        }

    def _providers(
        self, module: _Module, scope: Scope, regions: dict[str, str | None]
    ) -> dict[str, str | None]:
        for _, label, body in module.blocks("provider"):
            values = resolve(normalise(body), scope)
            key = f"{label}.{values['alias']}" if values.get("alias") else label
            region = values.get("region")
            regions[key] = region if isinstance(region, str) and "${" not in region else None
        return regions

    def _call_module(
        self,
        path: Path,
        label: str,
        body: dict[str, Any],
        scope: Scope,
        regions: dict[str, str | None],
        depth: int,
    ) -> None:
        values = arguments(body)
        source = values.get("source")
        line = body.get("__start_line__")
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            self.problems.append(
                Problem(
                    str(path),
                    line,
                    f"module {label!r}: source {source!r} is not a local "
                    "path; its resources are not judged (judge a plan JSON to include them)",
                    level="warning",
                )
            )
            return
        child_dir = (path.parent / source).resolve()
        if depth >= MAX_MODULE_DEPTH or not child_dir.is_dir():
            self.problems.append(
                Problem(str(path), line, f"module {label!r}: {source} is not a directory or nests too deep")
            )
            return
        outputs: dict[str, Any] = {}
        for key, inst in self._instances(path, line, values, scope):
            args = {
                k: resolve(v, inst)
                for k, v in values.items()
                if k not in META | {"source", "version", "providers"}
            }
            child_prefix = f"{scope.module + '.' if scope.module else ''}module.{label}{key}"
            shown_dir = Path(path.parent, source)
            result = self.load(shown_dir, child_prefix, args, regions, depth + 1)
            if key:
                outputs[key.strip('[]"')] = result
            else:
                outputs = result
        scope.module_outputs[label] = outputs

    def _instances(
        self, path: Path, line: int | None, values: dict[str, Any], scope: Scope
    ) -> list[tuple[str, Scope]]:
        """Instance keys (`[0]`, `["a"]` or "") with their scopes, for count and for_each."""
        if "count" in values:
            count = resolve(values["count"], scope)
            if isinstance(count, int) and not isinstance(count, bool):
                return [(f"[{i}]", scope.child(count_index=i)) for i in range(count)]
            self.problems.append(
                Problem(
                    str(path),
                    line,
                    f"count {values['count']!r} is not statically known; judged as one instance",
                    level="warning",
                )
            )
            return [("[0]", scope.child(count_index=0))]
        if "for_each" in values:
            items = resolve(values["for_each"], scope)
            if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict):
                items = items[0]  # an inline map literal, as the parser hands it back
            if isinstance(items, dict):
                return [(f'["{k}"]', scope.child(each=(k, v))) for k, v in items.items()]
            if isinstance(items, list | set | tuple):
                return [(f'["{k}"]', scope.child(each=(k, k))) for k in sorted(items, key=str)]
            self.problems.append(
                Problem(
                    str(path),
                    line,
                    f"for_each {values['for_each']!r} is not statically known; judged as one instance",
                    level="warning",
                )
            )
            return [('["?"]', scope.child(each=("?", None)))]
        return [("", scope)]

    def _dynamic_blocks(
        self, path: Path, line: int | None, dynamic: Any, scope: Scope
    ) -> Iterator[tuple[str, list[dict[str, Any]] | Unknown]]:
        """Expand `dynamic "x" { for_each = ...; content { ... } }` into ordinary `x` blocks."""
        for entry in as_block_list(dynamic):
            for block_name, specs in entry.items():
                for spec in as_block_list(specs):
                    items = resolve(spec.get("for_each"), scope)
                    iterator = spec.get("iterator", block_name)
                    content = (spec.get("content") or [{}])[0]
                    if isinstance(items, dict):
                        pairs = list(items.items())
                    elif isinstance(items, list | set | tuple):
                        pairs = list(enumerate(items if isinstance(items, list) else sorted(items, key=str)))
                    else:
                        yield block_name, _unknown_blocks(block_name, items, content, scope, iterator)
                        continue
                    yield block_name, [resolve(content, scope.iterating(iterator, k, v)) for k, v in pairs]

    def _expand(
        self,
        path: Path,
        rtype: str,
        name: str,
        body: dict[str, Any],
        scope: Scope,
        regions: dict[str, str | None],
        data: bool = False,
    ) -> None:
        values = normalise(body)
        line = body.get("__start_line__")
        provider = values.get("provider")
        provider_key = provider.strip("${}") if isinstance(provider, str) else rtype.split("_")[0]
        attrs = {k: v for k, v in values.items() if k not in META}
        for key, inst in self._instances(path, line, values, scope):
            resolved = resolve(attrs, inst)
            for block_name, blocks in self._dynamic_blocks(path, line, values.get("dynamic"), inst):
                resolved[block_name] = _joined_blocks(as_block_list(resolved.get(block_name)), blocks)
            prefix = f"{scope.module}." if scope.module else ""
            (self.data if data else self.resources).append(
                TfResource(
                    address=f"{prefix}{'data.' if data else ''}{rtype}.{name}{key}",
                    type=rtype,
                    name=name,
                    module=scope.module,
                    values=resolved,
                    file=str(path),
                    line=line,
                    region=regions.get(provider_key),
                    refs={k: r for k, v in resolved.items() if (r := references(v))},
                )
            )


def _unknown_blocks(
    block_name: str, items: Any, content: dict[str, Any], scope: Scope, iterator: str
) -> Unknown:
    """A `dynamic` block whose for_each is not known: no block, or blocks of its content (items unknown)."""
    each = items if isinstance(items, Unknown) else Unknown(str(items), (f"dynamic {block_name} for_each",))
    body = resolve(content, scope.iterating(iterator, each, each))
    return Unknown(
        f"${{dynamic {block_name} for each {each}}}",
        each.depends_on,
        ((f"with {block_name} blocks from {each}", [body]), (f"if {each} is empty", [])),
    )


def _joined_blocks(static: list[Any], dynamic: list[dict[str, Any]] | Unknown) -> list[Any] | Unknown:
    """Static and dynamic blocks of one name; blocks from an unknown for_each keep their alternatives."""
    if not isinstance(dynamic, Unknown):
        return [*static, *dynamic]
    prior = static
    if prior and isinstance(prior[-1], Unknown):
        return Unknown(str(dynamic), dynamic.depends_on, ())  # two unknown dynamic blocks: opaque
    return Unknown(
        str(dynamic),
        dynamic.depends_on,
        tuple((label, [*prior, *blocks]) for label, blocks in dynamic.alternatives),
    )


def as_block_list(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [normalise(value)]
    return value if isinstance(value, list) else []


def _resolve_locals(raw: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """Locals may refer to one another in any order: resolve until nothing changes."""
    resolved: dict[str, Any] = {}
    for _ in range(len(raw) + 1):
        scope.locals = resolved
        new = {k: resolve(v, scope) for k, v in raw.items()}
        if new == resolved:
            break
        resolved = new
    return resolved
