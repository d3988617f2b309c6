"""The catalogue's data model: frameworks, their requirements, and controls that map onto them."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CONTROL_ID = re.compile(r"^[A-Z][A-Z0-9]{1,3}-\d{2}$")
CHECKOV_ID = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.low: 1, Severity.medium: 2, Severity.high: 3, Severity.critical: 4}


class Frequency(StrEnum):
    """How often a control must be proven; also how old its evidence may grow before it is stale."""

    continuous = "continuous"
    hourly = "hourly"
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    annual = "annual"

    @property
    def seconds(self) -> int:
        return _FREQUENCY_SECONDS[self]


_FREQUENCY_SECONDS = {
    Frequency.continuous: 15 * 60,
    Frequency.hourly: 3600,
    Frequency.daily: 86400,
    Frequency.weekly: 7 * 86400,
    Frequency.monthly: 31 * 86400,
    Frequency.quarterly: 92 * 86400,
    Frequency.annual: 366 * 86400,
}


class Automation(StrEnum):
    automated = "automated"
    hybrid = "hybrid"  # policies prove part; an owner uploads the rest
    manual = "manual"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Requirement(_Strict):
    framework: str = ""
    id: str
    title: str
    section: str


class Framework(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    version: str
    source: str
    requirements: tuple[Requirement, ...]

    @model_validator(mode="after")
    def _unique_and_stamped(self) -> Framework:
        ids = [r.id for r in self.requirements]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate requirement ids: {', '.join(dupes)}")
        stamped = tuple(r.model_copy(update={"framework": self.id}) for r in self.requirements)
        object.__setattr__(self, "requirements", stamped)
        return self


class ManualEvidence(_Strict):
    name: str
    description: str
    owner: str


class Control(_Strict):
    id: str
    title: str
    domain: str
    objective: str
    rationale: str
    severity: Severity
    frequency: Frequency
    automation: Automation
    requirements: dict[str, tuple[str, ...]]
    policies: tuple[str, ...] = ()
    checkov: tuple[str, ...] = ()
    remediation: str
    evidence_retention_days: int = Field(default=400, ge=1)
    manual_evidence: tuple[ManualEvidence, ...] = ()

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not CONTROL_ID.match(value):
            raise ValueError(f"control id {value!r} is not of the form ABC-01")
        return value

    @field_validator("checkov")
    @classmethod
    def _checkov_shape(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not CHECKOV_ID.match(v)]
        if bad:
            raise ValueError(f"not checkov check ids: {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Control:
        if not any(self.requirements.values()):
            raise ValueError("a control must map to at least one requirement")
        if self.automation is Automation.manual and self.policies:
            raise ValueError("a manual control names no policies")
        if self.automation is not Automation.automated and not self.manual_evidence:
            raise ValueError("a manual or hybrid control must name the evidence an owner uploads")
        if self.automation is not Automation.manual and not self.policies:
            raise ValueError("an automated or hybrid control must name at least one policy")
        return self
