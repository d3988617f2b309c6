"""The one seam to the Rego engine (regorus). Swap the engine here and nowhere else.

A Rego policy is a `.rego` file under policies/rego/ with an OPA METADATA annotation before its package:

    # METADATA
    # title: Storage accounts require TLS 1.2
    # custom:
    #   id: azure.storage.secure_transfer
    #   resource_types: [azure.storage.account]
    #   severity: high
    package assay.azure.storage.secure_transfer

Its input is {"resources": [snapshots], "params": {...}}; it defines a set `results` of
{"resource": id-or-null, "status": "pass"|"fail"|"not_applicable"|"missing", "message": "..."}.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regorus
import yaml

from policies.model import PolicySpec

REGO_ROOT = Path(__file__).parent / "rego"
LIBRARY = REGO_ROOT / "lib"  # shared Rego packages (assay.lib.*): loaded with every policy, not policies
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_TEST_RULE = re.compile(r"^(test_\w+)\s+if\b", re.MULTILINE)
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RESULT_STATUSES = frozenset({"pass", "fail", "unknown", "not_applicable", "missing"})


class RegoError(ValueError):
    """A Rego file that does not load, or an evaluation that fails; the message names the file."""


def _metadata(path: Path, text: str) -> dict[str, Any]:
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "# METADATA")
    except StopIteration:
        raise RegoError(f"{path}:1: no '# METADATA' annotation before the package") from None
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("#"):
            break
        body.append(line[2:] if line.startswith("# ") else line[1:])
    try:
        meta = yaml.load("\n".join(body), Loader=_YAML) or {}
    except yaml.YAMLError as exc:
        raise RegoError(f"{path}:{start + 1}: METADATA is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise RegoError(f"{path}:{start + 1}: METADATA must be a mapping")
    return meta


def read_policy(path: Path) -> PolicySpec:
    """Parse a policy file's METADATA into a PolicySpec (the engine compiles it later)."""
    text = path.read_text(encoding="utf-8")
    meta = _metadata(path, text)
    custom = meta.get("custom") or {}
    missing_keys = [k for k in ("id", "resource_types", "severity") if k not in custom]
    if "title" not in meta or missing_keys:
        raise RegoError(f"{path}: METADATA lacks {', '.join(missing_keys or ['title'])}")
    package = _PACKAGE.search(text)
    if package is None or package.group(1) != f"assay.{custom['id']}":
        raise RegoError(f"{path}: package must be 'assay.{custom['id']}'")
    return PolicySpec(
        id=str(custom["id"]),
        title=str(meta["title"]),
        resource_types=tuple(custom["resource_types"]),
        subject_types=tuple(custom.get("subject_types") or ()),
        severity=str(custom["severity"]),
        engine="rego",
        source_file=str(path),
        description=str(meta.get("description", "")).strip(),
        required=bool(custom.get("required", False)),
        params=dict(custom.get("params") or {}),
    )


def _clean_error(exc: Exception) -> str:
    """regorus errors carry a Rust backtrace; keep the part a person reads."""
    text = str(exc).split("Stack backtrace:")[0].strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _add(engine: regorus.Engine, path: Path) -> None:
    try:
        engine.add_policy(str(path), path.read_text(encoding="utf-8"))
    except RuntimeError as exc:
        raise RegoError(f"{path}: does not compile: {_clean_error(exc)}") from exc


def library_files(root: Path = LIBRARY) -> list[Path]:
    return sorted(p for p in root.glob("*.rego") if not p.name.endswith("_test.rego"))


class RegoEvaluator:
    """All Rego policies compiled once; each policy evaluated once over all of its resources."""

    def __init__(self, specs: list[PolicySpec]):
        self._engine = regorus.Engine()
        for path in [*library_files(), *(Path(spec.source_file) for spec in specs)]:
            _add(self._engine, path)

    def evaluate(self, spec: PolicySpec, input_json: str) -> list[dict[str, Any]]:
        try:
            self._engine.set_input_json(input_json)
            raw = self._engine.eval_rule_as_json(f"data.assay.{spec.id}.results")
        except RuntimeError as exc:
            raise RegoError(f"{spec.source_file}: evaluation failed: {_clean_error(exc)}") from exc
        results = json.loads(raw) if raw else []
        return [_validated(spec, r) for r in results]


def _validated(spec: PolicySpec, result: object) -> dict[str, Any]:
    if (
        not isinstance(result, dict)
        or result.get("status") not in RESULT_STATUSES
        or not isinstance(result.get("message", ""), str)
        or not isinstance(result.get("resource"), str | None)
    ):
        raise RegoError(f"{spec.source_file}: malformed result {result!r}")
    return result


@dataclass(frozen=True)
class RegoTestResult:
    file: str
    name: str
    passed: bool
    error: str | None = None


def run_tests(test_file: Path, policy_files: list[Path]) -> list[RegoTestResult]:
    """Run every `test_*` rule of a `_test.rego` file (OPA's convention) against the given policies."""
    engine = regorus.Engine()
    for path in [*policy_files, test_file]:
        _add(engine, path)
    text = test_file.read_text(encoding="utf-8")
    package = _PACKAGE.search(text)
    if package is None:
        raise RegoError(f"{test_file}: no package")
    results = []
    for name in dict.fromkeys(_TEST_RULE.findall(text)):
        try:
            value = engine.eval_rule(f"data.{package.group(1)}.{name}")
            results.append(RegoTestResult(str(test_file), name, value is True))
        except RuntimeError as exc:
            results.append(RegoTestResult(str(test_file), name, False, _clean_error(exc)))
    return results
