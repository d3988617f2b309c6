"""Waivers: accepted risks with an owner, a ticket, an approver and an expiry no more than a year out.

An expired waiver stops waiving and is listed; one expiring within 14 days is warned about; one that
matches no failing finding is stale. Waivers never hide errors: what could not be judged stays `error`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from controls import Catalog
from policies import PolicySet
from reports.findings import Finding

MAX_TERM = timedelta(days=366)
WARN_WITHIN = timedelta(days=14)


class WaiverError(ValueError):
    """A waivers file that does not load; the message names the file and the entry."""


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    control: str | None = None
    policy: str | None = None  # an Assay policy id or a checkov check id
    resource: str = Field(min_length=1, description="Terraform address; * and ? match")
    owner: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    ticket: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    expires: date

    @model_validator(mode="after")
    def _one_target(self) -> Waiver:
        if (self.control is None) == (self.policy is None):
            raise ValueError("name exactly one of `control` or `policy`")
        return self

    def matches(self, finding: Finding) -> bool:
        rule = (
            self.control in finding.control_ids
            if self.control
            else self.policy
            in (
                finding.policy_id,
                finding.check_id,
            )
        )
        return rule and fnmatch.fnmatchcase(finding.resource or "", self.resource)

    def describe(self) -> dict[str, Any]:
        return {"kind": "waiver", **self.model_dump(mode="json")}


def load_waivers(path: Path, catalog: Catalog, policies: PolicySet, today: date) -> list[Waiver]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise WaiverError(f"{path}: cannot be read as YAML: {exc}") from exc
    entries = doc.get("waivers") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise WaiverError(f"{path}: expected a top-level `waivers:` list")
    checks = {c for control in catalog.controls.values() for c in control.checkov}
    waivers = []
    for i, entry in enumerate(entries):
        where = f"{path}: waivers[{i}]"
        try:
            waiver = Waiver.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            field_name = ".".join(str(p) for p in err["loc"]) or "entry"
            raise WaiverError(f"{where}.{field_name}: {err['msg']}") from exc
        if waiver.control and waiver.control not in catalog.controls:
            raise WaiverError(f"{where}.control: unknown control {waiver.control!r}")
        if waiver.policy and policies.get(waiver.policy) is None and waiver.policy not in checks:
            raise WaiverError(
                f"{where}.policy: {waiver.policy!r} is neither a policy nor a mapped checkov check"
            )
        if waiver.expires - today > MAX_TERM:
            raise WaiverError(f"{where}.expires: {waiver.expires} is more than a year away; renew it instead")
        waivers.append(waiver)
    return waivers


@dataclass
class WaiverReport:
    applied: list[Waiver] = field(default_factory=list)
    expired: list[Waiver] = field(default_factory=list)
    expiring: list[Waiver] = field(default_factory=list)
    stale: list[Waiver] = field(default_factory=list)


def apply_waivers(findings: list[Finding], waivers: list[Waiver], today: date) -> WaiverReport:
    report = WaiverReport()
    for waiver in waivers:
        expired = waiver.expires < today
        hits = [f for f in findings if f.status == "fail" and waiver.matches(f)]
        if expired:
            report.expired.append(waiver)
            for f in hits:
                f.message += f" (waiver {waiver.ticket} expired on {waiver.expires})"
            continue
        if not hits:
            report.stale.append(waiver)
            continue
        report.applied.append(waiver)
        if waiver.expires - today <= WARN_WITHIN:
            report.expiring.append(waiver)
        for f in hits:
            f.status, f.waiver = "waived", waiver.describe()
    return report
