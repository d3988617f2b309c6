"""Control status from recorded evidence: the latest verdict of each control, and whether it is stale.

A control's evidence is stale once it is older than the control's frequency: a daily control judged two days
ago shows `stale`, whatever its last verdict was. Manual controls show `manual` until evidence is uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from controls import Automation, Catalog, Control
from evidence_store.index import EvidenceIndex

ORDER = ("fail", "error", "unknown", "missing", "pass", "not_applicable")


@dataclass(frozen=True)
class ControlStatus:
    control: Control
    status: str  # pass | fail | error | unknown | missing | not_applicable | stale | no-evidence | manual
    last_verdict: str | None
    recorded_at: datetime | None
    run_id: str | None
    age_seconds: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "control_id": self.control.id,
            "status": self.status,
            "last_verdict": self.last_verdict,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "run_id": self.run_id,
            "frequency": self.control.frequency.value,
            "age_seconds": self.age_seconds,
        }


def _worst(statuses: list[str]) -> str:
    return min(statuses, key=lambda s: ORDER.index(s) if s in ORDER else len(ORDER))


def control_status(control: Control, index: EvidenceIndex, now: datetime) -> ControlStatus:
    rows = index.records(control=control.id, kind="policy-result", limit=2000)
    if not rows:
        status = "manual" if control.automation is Automation.manual else "no-evidence"
        return ControlStatus(control, status, None, None, None, None)
    latest = rows[0]
    verdict = _worst([r.status or "error" for r in rows if r.run_id == latest.run_id])
    age = (now - latest.recorded_at).total_seconds()
    status = "stale" if age > control.frequency.seconds else verdict
    return ControlStatus(control, status, verdict, latest.recorded_at, latest.run_id, age)


def catalog_status(
    catalog: Catalog, index: EvidenceIndex, now: datetime, framework: str | None = None
) -> list[ControlStatus]:
    controls = catalog.for_framework(framework) if framework else list(catalog.controls.values())
    return [control_status(c, index, now) for c in controls]
