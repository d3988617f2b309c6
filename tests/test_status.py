"""Control status from evidence: latest verdict per control, stale once older than the control's frequency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from assay.status import control_status
from controls import load_catalog
from evidence_store.index import EvidenceIndex, RecordRow

CATALOG = load_catalog()
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _row(n: int, control: str, status: str, run: str, age: timedelta) -> RecordRow:
    return RecordRow(
        digest=f"{n:064x}",
        key=f"records/sha256/{n:064x}.json",
        kind="policy-result",
        predicate_type="https://assay.dev/predicates/policy-result/v1",
        run_id=run,
        control_ids=[control],
        policy_id="p",
        resource_id=f"r{n}",
        status=status,
        recorded_at=NOW - age,
        key_id="k",
        ledger_seq=n,
        retain_until=None,
    )


def test_latest_run_decides_and_old_evidence_is_stale(tmp_path: Path) -> None:
    index = EvidenceIndex(f"sqlite:///{tmp_path / 'i.db'}")
    enc02 = CATALOG.control("ENC-02")  # daily
    index.add_records(
        [
            _row(1, "ENC-02", "fail", "old", timedelta(hours=30)),
            _row(2, "ENC-02", "pass", "new", timedelta(hours=2)),
            _row(3, "ENC-02", "fail", "new", timedelta(hours=2)),
        ]
    )
    status = control_status(enc02, index, NOW)
    assert (status.status, status.last_verdict, status.run_id) == ("fail", "fail", "new")
    later = control_status(enc02, index, NOW + timedelta(days=1))
    assert later.status == "stale" and later.last_verdict == "fail"


def test_controls_without_evidence(tmp_path: Path) -> None:
    index = EvidenceIndex(f"sqlite:///{tmp_path / 'i.db'}")
    assert control_status(CATALOG.control("ENC-03"), index, NOW).status == "no-evidence"
    assert control_status(CATALOG.control("IAM-11"), index, NOW).status == "manual"


def test_an_unknown_verdict_is_its_own_status_and_outranks_a_pass(tmp_path: Path) -> None:
    index = EvidenceIndex(f"sqlite:///{tmp_path / 'i.db'}")
    net01 = CATALOG.control("NET-01")
    index.add_records(
        [
            _row(1, "NET-01", "pass", "run", timedelta(minutes=5)),
            _row(2, "NET-01", "unknown", "run", timedelta(minutes=5)),
        ]
    )
    status = control_status(net01, index, NOW)
    assert (status.status, status.last_verdict) == ("unknown", "unknown")
    index.add_records([_row(3, "NET-01", "fail", "run", timedelta(minutes=5))])
    assert control_status(net01, index, NOW).status == "fail"
