"""Findings: what the gate reports, one per (policy or checkov check, resource), with requirements."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from collectors import ResourceSnapshot, sha256_json
from controls import Catalog, Severity
from policies import Judgement, PolicySet, Status

FAILING = ("fail", "error", "unknown")  # what did not pass: failed, not judged, or not knowable


@dataclass
class Finding:
    """One verdict on one resource (a plain dataclass: the gate builds thousands of them)."""

    control_ids: list[str]
    requirements: dict[str, list[str]]
    policy_id: str
    engine: str  # python | rego | checkov
    resource: str | None
    file: str | None
    line: int | None
    severity: str
    status: str  # pass | fail | error | unknown | waived
    message: str
    fingerprint: str
    check_id: str | None = None
    resource_type: str | None = None
    waiver: dict[str, Any] | None = None
    parent: str | None = None  # the snapshot judged, when `resource` is a part merged into it (a rule)

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    @property
    def rank(self) -> int:
        return Severity(self.severity).rank


def display_path(path: str | None) -> str | None:
    """A path relative to the working directory when it lies below it, as CI systems expect."""
    return _display_path(path) if path else path


@lru_cache(maxsize=4096)
def _display_path(path: str) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return os.path.relpath(candidate)
        except ValueError:
            return path
    return path


def fingerprint(
    control_ids: Iterable[str], rule: str, resource: str | None, file: str | None, state: str
) -> str:
    """Stable identity of a violation: control, rule, resource, file and a digest of the offending state."""
    key = json.dumps([sorted(control_ids), rule, resource, file, state])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def severity_of(control_ids: Sequence[str], catalog: Catalog, fallback: str) -> str:
    ranks = [catalog.controls[c].severity.rank for c in control_ids if c in catalog.controls]
    return _BY_RANK[max(ranks)] if ranks else fallback


_BY_RANK = {s.rank: s.value for s in Severity}


def from_judgements(
    judgements: Iterable[Judgement],
    snapshots: Mapping[str, ResourceSnapshot],
    catalog: Catalog,
    policies: PolicySet,
    include_missing: bool = True,
) -> list[Finding]:
    """Assay's own verdicts as findings. Not-applicable results are left out; `missing` fails, unless the
    caller judges a fragment (one module) and asks not to require platform-wide resources."""
    found = []
    states: dict[str, str] = {}  # one digest of each resource's state, however many findings it has
    for j in judgements:
        if j.status is Status.not_applicable or (j.status is Status.missing and not include_missing):
            continue
        spec = policies.get(j.policy_id)
        snap = snapshots.get(j.resource_id) if j.resource_id else None
        file = display_path(j.location.file) if j.location else None
        status = "fail" if j.status is Status.missing else j.status.value
        message = f"missing: {j.message}" if j.status is Status.missing else j.message
        if j.cause:
            message = f"{message} (on {j.resource_id})"
        if snap is not None and snap.id not in states:
            states[snap.id] = sha256_json(snap.attributes)
        state = states[snap.id] if snap is not None else message
        found.append(
            Finding(
                control_ids=list(j.control_ids),
                requirements=catalog.requirements_of(j.control_ids),
                policy_id=j.policy_id,
                engine=spec.engine if spec else "python",
                resource=j.cause or j.resource_id,
                parent=j.resource_id if j.cause else None,
                resource_type=_type_of(j.cause) if j.cause else j.resource_type,
                file=file,
                line=j.location.line if j.location else None,
                severity=severity_of(j.control_ids, catalog, spec.severity if spec else "medium"),
                status=status,
                message=message,
                fingerprint=fingerprint(j.control_ids, j.policy_id, j.resource_id, file, state),
            )
        )
    return found


def summary(findings: Sequence[Finding]) -> dict[str, Any]:
    counts = Counter(f.status for f in findings)
    by_severity = Counter(f.severity for f in findings if f.status in FAILING)
    return {
        "passed": counts.get("pass", 0),
        "failed": counts.get("fail", 0),
        "errors": counts.get("error", 0),
        "unknown": counts.get("unknown", 0),
        "waived": counts.get("waived", 0),
        "by_severity": {s.value: by_severity.get(s.value, 0) for s in reversed(Severity)},
    }


def _type_of(address: str) -> str:
    """The Terraform type in an address (aws_security_group_rule in module.n.aws_security_group_rule.x[0])."""
    parts = [p for p in address.split("[")[0].split(".") if p]
    return parts[-2] if len(parts) >= 2 else address
