"""Drift: the platform's Terraform against the running platform, resource by resource (SOC 2 CC8.1).

Resources are matched by type and cloud name (bucket name, cluster identifier, Kubernetes namespace/name);
what exists on one side only, and every attribute whose known Terraform value differs from what is running,
is reported. Values Terraform cannot know before apply are not compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from assay.collect import Collected
from assay.evidence import Evidence, pseudonymiser
from assay.pipeline import observe
from assay.settings import Settings
from collectors import ResourceSnapshot
from collectors.terraform import VarInputs
from collectors.terraform.model import is_reference
from evidence_store.canonical import canonical, sha256_hex
from evidence_store.records import Pending, scrub
from evidence_store.statement import Statement, Subject
from evidence_store.store import Committed

Key = tuple[str, str]


@dataclass(frozen=True)
class Change:
    type: str
    name: str
    iac_id: str
    runtime_id: str
    attribute: str
    iac: Any
    runtime: Any


@dataclass
class DriftReport:
    matched: int = 0
    only_iac: list[tuple[str, str, str]] = field(default_factory=list)  # (type, name, id)
    only_runtime: list[tuple[str, str, str]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return bool(self.only_iac or self.only_runtime or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "drifted": self.drifted,
            "matched": self.matched,
            "only_in_terraform": [dict(zip(("type", "name", "id"), r, strict=True)) for r in self.only_iac],
            "only_running": [dict(zip(("type", "name", "id"), r, strict=True)) for r in self.only_runtime],
            "changed": [vars(c) for c in self.changed],
        }

    def text(self) -> str:
        lines = [f"{self.matched} resources matched"]
        lines += [f"MISSING at runtime   {t} {n} ({i})" for t, n, i in self.only_iac]
        lines += [f"NOT IN TERRAFORM     {t} {n} ({i})" for t, n, i in self.only_runtime]
        lines += [
            f"CHANGED              {c.type} {c.name}: {c.attribute}: terraform {json.dumps(c.iac)} "
            f"!= running {json.dumps(c.runtime)}"
            for c in self.changed
        ]
        lines.append("drift found" if self.drifted else "no drift")
        return "\n".join(lines)


def _key(snapshot: ResourceSnapshot) -> Key | None:
    if not snapshot.name:
        return None
    namespace = snapshot.attributes.get("namespace") if snapshot.provider == "kubernetes" else None
    return (snapshot.type, f"{namespace}/{snapshot.name}" if namespace else snapshot.name)


def _known(value: Any) -> bool:
    if isinstance(value, str):
        return not is_reference(value)
    if isinstance(value, list):
        return all(_known(v) for v in value)
    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    return True


def _normal(value: Any) -> Any:
    """Order of list items carries no meaning in these attributes (rules, tags, log types)."""
    if isinstance(value, list):
        return sorted((_normal(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def _compare(iac: ResourceSnapshot, runtime: ResourceSnapshot, name: str) -> list[Change]:
    changes = []
    unknown = {path.split(".")[0].split("[")[0] for path in iac.unknown_paths}
    for attribute, value in iac.attributes.items():
        running = runtime.attributes.get(attribute)
        if attribute in unknown or not _known(value) or value is None or running is None:
            continue  # unknown before apply, or not stated on one side (a default the API leaves out)
        if _normal(value) != _normal(running):
            changes.append(Change(iac.type, name, iac.id, runtime.id, attribute, value, running))
    return changes


def drift_report(
    path: Path, collected: Collected, settings: Settings, variables: VarInputs | None = None
) -> DriftReport:
    """Compare only the types both sides can show, for the providers that were collected."""
    iac = observe(path, settings, datetime.now(UTC), variables).snapshots
    providers = {r.provider for r in collected.reports}
    runtime_types = {s.type for s in collected.snapshots} | {t for r in collected.reports for t in r.counts}
    iac_by = {k: s for s in iac if s.provider in providers and s.type in runtime_types and (k := _key(s))}
    run_by = {k: s for s in collected.snapshots if (k := _key(s)) and k[0] in {t for t, _ in iac_by}}
    report = DriftReport()
    for key in sorted(iac_by.keys() | run_by.keys()):
        left, right = iac_by.get(key), run_by.get(key)
        if left and right:
            report.matched += 1
            report.changed += _compare(left, right, key[1])
        elif left:
            report.only_iac.append((key[0], key[1], left.id))
        elif right:
            report.only_runtime.append((key[0], key[1], right.id))
    return report


def record_drift(report: DriftReport, evidence: Evidence) -> Committed:
    doc = scrub(report.to_json(), pseudonymiser(evidence.settings.pseudonym_key()))
    statement = Statement(
        "drift-report",
        (Subject("drift-report", sha256_hex(canonical(doc))),),
        {**doc, "time": datetime.now(UTC).isoformat()},
    )
    pending = Pending(
        statement,
        datetime.now(UTC) + timedelta(days=2555),
        control_ids=["CHG-02"],
        status="fail" if report.drifted else "pass",
    )
    return evidence.store.record([pending])
