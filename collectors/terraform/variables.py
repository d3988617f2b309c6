"""Input variable values as Terraform loads them.

A root module's variables come from, lowest precedence first: `default` in the variable block, `TF_VAR_name`
in the environment, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in
lexical order of file name, then `--var-file FILE` and `--var NAME=VALUE` in the order given (later wins).
A called module's variables come from its `default` and the module call's arguments only.

A variable with no value at all is absent from the mapping, so references to it stay unresolved `${var.x}`;
a variable whose value is `null` is present, as None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collectors.problems import Problem
from collectors.terraform import hcl  # a module import: hcl.py imports this module
from collectors.terraform.expressions import Scope, resolve
from collectors.terraform.parsing import parse_one, parse_text

Declared = Iterable[tuple[Path, str, dict[str, Any]]]  # (file, label, body) of `variable` blocks
ENV_PREFIX = "TF_VAR_"
_PRIMITIVES = frozenset({"string", "number", "bool"})
_NAME = re.compile(r"^[A-Za-z_][\w-]*$")


class VarInputError(ValueError):
    """A `--var-file` that does not exist or a `--var` that is not NAME=VALUE."""


@dataclass(frozen=True)
class VarInputs:
    """What the user gives beyond the files: `--var-file` / `--var` options in command-line order, as
    ("var-file", path) and ("var", "NAME=VALUE") pairs, and the `TF_VAR_*` environment variables."""

    options: tuple[tuple[str, str], ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    check_declared: bool = True  # a --var the root does not declare is an error (False: the caller checks)

    @classmethod
    def from_cli(cls, options: Iterable[tuple[str, str]], environ: Mapping[str, str]) -> VarInputs:
        options = tuple(options)
        for kind, value in options:
            if kind == "var-file" and not Path(value).is_file():
                raise VarInputError(f"--var-file {value}: no such file")
            if kind == "var" and ("=" not in value or not _NAME.match(value.partition("=")[0])):
                raise VarInputError(f"--var {value!r}: expected NAME=VALUE, e.g. --var admin_cidr=10.0.0.0/8")
        return cls(options, {k: v for k, v in environ.items() if k.startswith(ENV_PREFIX)})

    @property
    def var_files(self) -> tuple[Path, ...]:
        return tuple(Path(v) for k, v in self.options if k == "var-file")

    @property
    def vars(self) -> tuple[str, ...]:
        return tuple(v for k, v in self.options if k == "var")


class _Invalid(ValueError):
    """A value that cannot be converted to its variable's type."""


@dataclass(frozen=True)
class _Variable:
    type: str | None  # the type constraint as written, e.g. "string", "list(string)"; None: unconstrained
    has_default: bool
    default: Any
    nullable: bool
    sensitive: bool

    @classmethod
    def of(cls, body: dict[str, Any]) -> _Variable:
        raw_type = hcl.attribute(body.get("type"))
        type_ = (
            raw_type.removeprefix("${").removesuffix("}").strip('"') if isinstance(raw_type, str) else None
        )
        has_default = "default" in body
        default = resolve(hcl.attribute(body["default"]), Scope("", {})) if has_default else None
        nullable = hcl.attribute(body.get("nullable")) is not False
        return cls(type_, has_default, default, nullable, hcl.attribute(body.get("sensitive")) is True)

    def parse_string(self, text: str) -> Any:
        """A `--var` or `TF_VAR_` value: literal text for primitive (or no) types, an HCL expression else."""
        if self.type is None or self.type in _PRIMITIVES:
            return convert(text, self.type)
        document, problem, _ = parse_text(f"value = {text}\n".encode(), "value")
        if document is None or "value" not in document:
            raise _Invalid(
                f"{text!r} is not a valid {self.type} value ({problem.message if problem else 'empty'})"
            )
        parsed = hcl.arguments(document)["value"]
        return convert(_literal_only(resolve(parsed, Scope("", {}))), self.type)


def convert(value: Any, type_: str | None) -> Any:
    """Convert as Terraform converts a value to its type constraint (primitives and their collections)."""
    if type_ is None or value is None or (isinstance(value, str) and "${" in value):
        return value
    if type_ in _PRIMITIVES:
        return _primitive(value, type_)
    outer, _, inner = type_.partition("(")
    element = inner.removesuffix(")").strip()
    if outer in ("list", "set", "tuple") and not isinstance(value, list):
        raise _Invalid(f"{_short(value)} is not a {type_}")
    if outer in ("map", "object") and not isinstance(value, dict):
        raise _Invalid(f"{_short(value)} is not a {type_}")
    if element in _PRIMITIVES and outer == "map":
        return {k: convert(v, element) for k, v in value.items()}
    if element in _PRIMITIVES and outer in ("list", "set"):
        value = [convert(v, element) for v in value]
    if outer == "set":  # a set holds each value once
        value = [v for i, v in enumerate(value) if v not in value[:i]]
    return value


def _primitive(value: Any, type_: str) -> Any:
    if isinstance(value, list | dict):
        raise _Invalid(f"{_short(value)} is not a {type_}")
    if type_ == "string":
        return ("true" if value else "false") if isinstance(value, bool) else str(value)
    if type_ == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "1", "false", "0"):
            return value in ("true", "1")
        raise _Invalid(f"{_short(value)} is not a bool (true or false)")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        number = float(value) if isinstance(value, str) else None
    except ValueError:
        number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        raise _Invalid(f"{_short(value)} is not a number")
    return int(number) if number.is_integer() and re.fullmatch(r"\s*-?\d+\s*", str(value)) else number


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _literal_only(value: Any) -> Any:
    """A variable's value is a literal: a reference or a function left unresolved is an error."""
    text = json.dumps(value, default=str)
    if "${" in text:
        raise _Invalid(f"{_short(value)} is not a literal value (no references or functions here)")
    return value


def _line_of(path: Path, name: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(rf'(?:^|[{{,])\s*"?{re.escape(name)}"?\s*[=:]', text, re.MULTILINE)
    return text.count("\n", 0, match.end()) + 1 if match else None


def auto_loaded(directory: Path) -> list[Path]:
    """terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order of name."""
    fixed = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    auto = sorted(
        (p for p in directory.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))),
        key=lambda p: p.name,
    )
    return [p for p in [*fixed, *auto] if p.is_file()]


def read_var_file(path: Path) -> tuple[dict[str, Any], Problem | None]:
    """The assignments in one .tfvars (HCL) or .tfvars.json file, or the Problem that stops reading it."""
    if path.name.endswith(".json"):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            return {}, Problem(str(path), exc.lineno, f"not valid JSON: {exc.msg}")
        except (OSError, UnicodeDecodeError) as exc:
            return {}, Problem(str(path), None, f"cannot read variables file: {exc}")
        if not isinstance(doc, dict):
            return {}, Problem(str(path), 1, "a .tfvars.json file must hold one JSON object")
        return doc, None
    _, parsed, problem = parse_one(str(path))
    return (resolve(hcl.arguments(parsed), Scope("", {})) if parsed is not None else {}), problem


class _Loader:
    """Assignments in precedence order; the last one for each variable wins."""

    def __init__(self, declared: Declared) -> None:
        self.variables = {label: _Variable.of(body) for _, label, body in declared}
        self.assigned: dict[str, Any] = {}
        self.invalid: set[str] = set()
        self.problems: list[Problem] = []
        self.undeclared_cli: set[str] = set()

    def assign(self, name: str, value: Any, where: Path | str, parse: bool = False) -> None:
        """Set `name` from one source; a value of the wrong type is an error and leaves it unknown."""
        variable = self.variables[name]
        try:
            if parse:
                self.assigned[name] = variable.parse_string(value)
            else:
                self.assigned[name] = convert(_literal_only(value), variable.type)
        except _Invalid as exc:
            self.invalid.add(name)
            line = _line_of(where, name) if isinstance(where, Path) else None
            reason = f"the (sensitive) value is not a valid {variable.type}" if variable.sensitive else exc
            self.problems.append(
                Problem(str(where), line, f"variable {name!r}: {reason}; its value is not known")
            )
        else:
            self.invalid.discard(name)

    def environment(self, env: Mapping[str, str]) -> None:
        for key, value in sorted(env.items()):
            name = key.removeprefix(ENV_PREFIX)
            if key.startswith(ENV_PREFIX) and name in self.variables:  # Terraform ignores the others
                self.assign(name, value, key, parse=True)

    def file(self, path: Path) -> None:
        values, problem = read_var_file(path)
        if problem is not None:
            self.problems.append(problem)
        for name, value in values.items():
            if name in self.variables:
                self.assign(name, value, path)
                continue
            self.problems.append(
                Problem(
                    str(path),
                    _line_of(path, name),
                    f"value for undeclared variable {name!r} is ignored (the root module has no "
                    f'variable "{name}" block)',
                    level="warning",
                )
            )

    def option(self, text: str, check_declared: bool) -> None:
        name, _, value = text.partition("=")
        if name in self.variables:
            self.assign(name, value, f"--var {name}", parse=True)
        elif check_declared:
            self.problems.append(Problem(f"--var {name}", None, undeclared_option(name)))
        else:
            self.undeclared_cli.add(name)

    def values(self) -> dict[str, Any]:
        """Every variable that has a value; one with none (or an invalid one) is left out: unknown."""
        out: dict[str, Any] = {}
        for name, variable in self.variables.items():
            if name in self.invalid:
                continue
            if name in self.assigned and (self.assigned[name] is not None or variable.nullable):
                out[name] = self.assigned[name]
            elif variable.has_default:  # also `nullable = false` given null: the default stands
                out[name] = variable.default
        return out


def undeclared_option(name: str) -> str:
    return f'no root module declares variable {name!r} (add a variable "{name}" block, or fix the name)'


@dataclass
class LoadedVariables:
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    undeclared_cli: set[str] = field(default_factory=set)  # --var names not declared (check_declared off)


def root_variables(directory: Path, declared: Declared, inputs: VarInputs) -> LoadedVariables:
    """The root module's values from every source Terraform reads, in Terraform's precedence."""
    loader = _Loader(declared)
    loader.environment(inputs.env)
    for path in auto_loaded(directory):
        loader.file(path)
    for kind, value in inputs.options:
        if kind == "var-file":
            loader.file(Path(value))
        else:
            loader.option(value, inputs.check_declared)
    return LoadedVariables(loader.values(), loader.problems, loader.undeclared_cli)


def declared_types(declared: Declared) -> dict[str, str]:
    """Each variable's type by its kind alone (`list` for `list(string)`; "" when unconstrained)."""
    return {label: (_Variable.of(body).type or "").split("(")[0].strip() for _, label, body in declared}


def module_variables(declared: Declared, inputs: Mapping[str, Any], where: str) -> LoadedVariables:
    """A called module's values: its defaults, overridden by the call's arguments, converted to their types
    as Terraform converts them (a null argument to a `nullable = false` variable leaves its default)."""
    loader = _Loader(declared)
    for name, value in inputs.items():
        variable = loader.variables.get(name)
        if variable is None:
            message = f"argument {name!r} is not a variable of this module: Terraform rejects it"
            loader.problems.append(Problem(where, None, message))
            continue
        try:
            loader.assigned[name] = convert(value, variable.type)
        except _Invalid as exc:
            loader.invalid.add(name)
            loader.problems.append(Problem(where, None, f"variable {name!r}: {exc}; its value is not known"))
    return LoadedVariables(loader.values(), loader.problems)
