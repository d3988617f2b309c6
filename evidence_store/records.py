"""What gets recorded: snapshots (with their canonical JSON as a blob), policy results and gate runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from collectors import ResourceSnapshot
from evidence_store.canonical import canonical, sha256_hex
from evidence_store.statement import Statement, Subject
from policies import Judgement

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
Pseudonymise = Callable[[str], str]


@dataclass
class Pending:
    """One record to sign and store, with the metadata the index keeps about it."""

    statement: Statement
    retain_until: datetime
    blob: bytes | None = None  # stored content-addressed; a subject digest points at it
    run_id: str | None = None
    control_ids: list[str] = field(default_factory=list)
    policy_id: str | None = None
    resource_id: str | None = None
    status: str | None = None


def scrub(value: Any, pseudonymise: Pseudonymise) -> Any:
    """Replace anything shaped like an e-mail address with a keyed pseudonym: no personal data in evidence."""
    if isinstance(value, str):
        return _EMAIL.sub(lambda m: pseudonymise(m.group(0)), value) if "@" in value else value
    if isinstance(value, list):
        return [scrub(v, pseudonymise) for v in value]
    if isinstance(value, dict):
        return {scrub(k, pseudonymise): scrub(v, pseudonymise) for k, v in value.items()}
    return value


def snapshot_record(
    snapshot: ResourceSnapshot, pseudonymise: Pseudonymise, retain_until: datetime, run_id: str
) -> tuple[Pending, str]:
    """The snapshot record, and the digest of its blob (what policy results name as their subject)."""
    body = scrub(snapshot.model_dump(mode="json"), pseudonymise)
    blob = canonical(body)
    digest = sha256_hex(blob)
    subjects = (Subject(body["id"], digest), Subject("raw-response", snapshot.raw_sha256))
    predicate = {
        "run_id": run_id,
        "type": snapshot.type,
        "source": snapshot.source,
        "collector": snapshot.collector,
        "collected_at": body["collected_at"],
        "blob": f"blobs/sha256/{digest}.json",
    }
    pending = Pending(
        Statement("snapshot", subjects, predicate), retain_until, blob, run_id, resource_id=body["id"]
    )
    return pending, digest


def policy_result_record(
    judgement: Judgement,
    subject: Subject,
    requirements: dict[str, list[str]],
    engine: str,
    retain_until: datetime,
    run_id: str,
    pseudonymise: Pseudonymise,
) -> Pending:
    predicate = scrub(
        {
            "run_id": run_id,
            "policy_id": judgement.policy_id,
            "engine": engine,
            "control_ids": list(judgement.control_ids),
            "requirements": requirements,
            "resource_id": judgement.resource_id,
            "resource_type": judgement.resource_type,
            "status": judgement.status.value,
            "message": judgement.message,
            "evaluated_at": judgement.evaluated_at.isoformat(),
            "unknown_attributes": list(judgement.unknown),
        },
        pseudonymise,
    )
    return Pending(
        Statement("policy-result", (subject,), predicate),
        retain_until,
        None,
        run_id,
        list(judgement.control_ids),
        judgement.policy_id,
        predicate["resource_id"],
        judgement.status.value,
    )


def population_subject(run_id: str, snapshot_digests: list[str]) -> Subject:
    """For verdicts on the population as a whole (e.g. `missing`): the digest of every snapshot judged."""
    return Subject(f"population:{run_id}", sha256_hex(canonical(sorted(snapshot_digests))))
