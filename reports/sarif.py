"""SARIF 2.1.0 for code scanning: one rule per policy or checkov check, one result per non-passing finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from controls import Catalog
from policies import PolicySet
from reports.console import not_judged_line
from reports.findings import Finding
from reports.gate import GateView

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
INFORMATION_URI = "https://github.com/assay-compliance/assay"


def _rule(rule_id: str, f: Finding, catalog: Catalog, policies: PolicySet) -> dict[str, Any]:
    spec = policies.get(rule_id)
    title = spec.title if spec else f.message.removeprefix(f"checkov {rule_id}: ")
    controls = [catalog.controls[c] for c in f.control_ids if c in catalog.controls]
    requirements = [f"{fw.upper()} {rid}" for fw, ids in f.requirements.items() for rid in ids]
    help_text = "\n".join(
        [f"{c.id} {c.title}: {c.objective}\nFix: {c.remediation.strip()}" for c in controls]
        + [f"Requirements: {', '.join(requirements)}"]
    )
    return {
        "id": rule_id,
        "name": rule_id.replace(".", "_"),
        "shortDescription": {"text": title},
        "fullDescription": {"text": "; ".join(c.objective for c in controls) or title},
        "help": {"text": help_text, "markdown": help_text.replace("\n", "\n\n")},
        "defaultConfiguration": {"level": "error" if f.rank >= 3 else "warning"},
        "properties": {
            "security-severity": SECURITY_SEVERITY[f.severity],
            "tags": ["security", "compliance", *f.control_ids, *requirements],
            "precision": "high",
        },
    }


def _location(f: Finding) -> list[dict[str, Any]]:
    logical = [{"fullyQualifiedName": f.resource, "kind": "resource"}] if f.resource else []
    if not f.file:
        return [{"logicalLocations": logical}] if logical else []
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": quote(Path(f.file).as_posix()), "uriBaseId": "SRCROOT"}
    }
    if f.line:
        physical["region"] = {"startLine": f.line}
    return [{"physicalLocation": physical, **({"logicalLocations": logical} if logical else {})}]


_PREFIX = {"error": "could not be judged: ", "unknown": "unknown: "}


def _result(f: Finding, index: int, view: GateView) -> dict[str, Any]:
    blocking = view.is_blocking(f)
    result: dict[str, Any] = {
        "ruleId": f.check_id if f.engine == "checkov" and f.policy_id == f.check_id else f.policy_id,
        "ruleIndex": index,
        "kind": "fail",
        "level": "error" if blocking else "warning",
        "message": {"text": f"{_PREFIX.get(f.status, '')}{f.message}"},
        "locations": _location(f),
        "partialFingerprints": {"assayFingerprint/v1": f.fingerprint},
        "properties": {
            "controls": f.control_ids,
            "requirements": f.requirements,
            "engine": f.engine,
            "severity": f.severity,
            "status": f.status,
        },
    }
    if f.waiver:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": json.dumps(f.waiver)}
        ]
    return result


def gate_sarif(view: GateView, catalog: Catalog, policies: PolicySet, version: str) -> str:
    shown = [f for f in view.findings if f.status != "pass"]
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in shown:
        rule_id = f.check_id if f.engine == "checkov" and f.policy_id == f.check_id else f.policy_id
        if rule_id not in rules:
            rules[rule_id] = _rule(rule_id, f, catalog, policies)
        results.append(_result(f, list(rules).index(rule_id), view))
    notifications = [
        {"level": "error" if p.level == "error" else "warning", "message": {"text": str(p)}}
        for p in view.problems
    ]
    missed = not_judged_line(view.coverage)
    notifications += [{"level": "note", "message": {"text": missed}}] if missed else []
    run = {
        "tool": {
            "driver": {
                "name": "Assay",
                "version": version,
                "informationUri": INFORMATION_URI,
                "rules": list(rules.values()),
            }
        },
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "results": results,
        "properties": {"notJudged": view.coverage.summary()},
        "invocations": [
            {
                "executionSuccessful": not view.errors,
                "exitCode": view.exit_code(),
                "toolExecutionNotifications": notifications,
            }
        ],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
