"""Wiring the evidence store from settings, and recording an assessment as signed evidence."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from assay.keys import open_signer, trusted_keys
from assay.pipeline import Assessment
from assay.settings import Settings
from controls import Catalog
from evidence_store.backends import open_backend
from evidence_store.index import EvidenceIndex, RunRow
from evidence_store.records import Pending, policy_result_record, population_subject, scrub, snapshot_record
from evidence_store.statement import Statement, Subject
from evidence_store.store import Committed, EvidenceStore
from policies import Coverage, PolicySet

DEFAULT_RETENTION_DAYS = 400


@dataclass
class Evidence:
    store: EvidenceStore
    index: EvidenceIndex
    settings: Settings

    @classmethod
    def open(cls, settings: Settings) -> Evidence:
        signer = open_signer(settings)
        backend = open_backend(
            settings.evidence,
            endpoint_url=settings.aws_endpoint_url,
            region=settings.aws_region,
            kms_key_id=settings.evidence_kms_key_id,
        )
        backend.put(f"keys/{signer.key_id}.pem", signer.public_pem())  # published for auditors
        index = EvidenceIndex(settings.database)
        store = EvidenceStore(backend, index, signer, trusted_keys(settings, signer), settings.home / "spool")
        store.recover()
        return cls(store, index, settings)


def pseudonymiser(key: bytes) -> Any:
    def pseudonymise(value: str) -> str:
        return "pseud:" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]

    return pseudonymise


def _retention(catalog: Catalog, control_ids: Any, now: datetime) -> datetime:
    days = [catalog.controls[c].evidence_retention_days for c in control_ids if c in catalog.controls]
    return now + timedelta(days=max(days, default=DEFAULT_RETENTION_DAYS))


def assessment_records(
    result: Assessment, catalog: Catalog, policies: PolicySet, run_id: str, pseudonymise: Any
) -> list[Pending]:
    """A snapshot record per resource and a policy-result record per judgement, tied by digest."""
    now = datetime.now(UTC)
    controls_by_resource: dict[str, set[str]] = defaultdict(set)
    for j in result.judgements:
        if j.resource_id:
            controls_by_resource[j.resource_id].update(j.control_ids)
    pending: list[Pending] = []
    digests: dict[str, str] = {}
    for snap in result.snapshots:
        record, digest = snapshot_record(
            snap, pseudonymise, _retention(catalog, controls_by_resource[snap.id], now), run_id
        )
        pending.append(record)
        digests[snap.id] = digest
    population = population_subject(run_id, list(digests.values()))
    for j in result.judgements:
        subject = Subject(j.resource_id, digests[j.resource_id]) if j.resource_id in digests else population
        spec = policies.get(j.policy_id)
        pending.append(
            policy_result_record(
                j,
                subject,
                catalog.requirements_of(j.control_ids),
                spec.engine if spec else "python",
                _retention(catalog, j.control_ids, now),
                run_id,
                pseudonymise,
            )
        )
    return pending


@dataclass
class RunContext:
    """What a run was over: the kind of run and, for collections, the population each target reported."""

    kind: str = "evaluate"
    reports: list[dict[str, Any]] | None = None  # CollectionReport.to_json() per target
    status: str | None = None  # complete | partial | failed (default: from the assessment's problems)


def record_assessment(
    result: Assessment,
    catalog: Catalog,
    policies: PolicySet,
    evidence: Evidence,
    context: RunContext | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[str, Committed]:
    context = context or RunContext()
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    started = datetime.now(UTC)
    evidence.index.start_run(
        RunRow(run_id, context.kind, started, None, "running", {"path": str(result.path)}, {}, [])
    )
    pseudonymise = pseudonymiser(evidence.settings.pseudonym_key())
    records = assessment_records(result, catalog, policies, run_id, pseudonymise)
    status = context.status or ("partial" if result.errors else "complete")
    covered = result.coverage(policies)
    facts = _run_facts(result, context, covered)
    records.append(
        _collection_record(run_id, records, context.reports or [], status, started, pseudonymise, facts)
    )
    committed = evidence.store.record(records, progress)
    population = {
        "snapshots": len(result.snapshots),
        "judgements": len(result.judgements),
        "records": len(records),
        "not_judged": covered.summary(),
    }
    failures = [str(p) for p in result.errors] + [f for r in context.reports or [] for f in r["failures"]]
    evidence.index.finish_run(
        run_id, status, datetime.now(UTC), {**population, "targets": context.reports or []}, failures
    )
    return run_id, committed


def _run_facts(result: Assessment, context: RunContext, covered: Coverage) -> dict[str, Any]:
    """What the run was over and what it did not judge, for the run's own record."""
    return {
        "kind": context.kind,
        "path": str(result.path),
        "judged": covered.judged,
        "not_judged": covered.summary(),
        "not_judged_resources": covered.details(),
    }


def _collection_record(
    run_id: str,
    records: list[Pending],
    reports: list[dict[str, Any]],
    status: str,
    started: datetime,
    pseudonymise: Any,
    facts: dict[str, Any] | None = None,
) -> Pending:
    """The population a run enumerated (targets, regions, pages, counts, failures, and what was not
    judged): auditors test completeness (IPE) against it."""
    snapshot_digests = [r.statement.subjects[0].sha256 for r in records if r.statement.kind == "snapshot"]
    predicate = scrub(
        {
            "run_id": run_id,
            "status": status,
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "targets": reports,
            **(facts or {}),
        },
        pseudonymise,
    )
    statement = Statement("collection-run", (population_subject(run_id, snapshot_digests),), predicate)
    return Pending(
        statement, datetime.now(UTC) + timedelta(days=DEFAULT_RETENTION_DAYS), run_id=run_id, status=status
    )
