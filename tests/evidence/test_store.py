"""The store's commit protocol and the verifier's tamper matrix: every case must fail verification."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from evidence_store.canonical import sha256_hex
from evidence_store.ledger import checkpoint_key, record_key, segment_key
from evidence_store.signers import Ed25519Signer, PublicKey
from evidence_store.store import EvidenceStore
from evidence_store.verify import verify_store
from tests.evidence.helpers import make_store, results, snapshot


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    s = make_store(tmp_path)
    s.record([*results(5, "run-1"), snapshot(1)])
    s.record(results(4, "run-2", start=10))
    s.record(results(3, "run-3", start=20))
    return s


def _root(store: EvidenceStore) -> Path:
    return Path(store.backend.url.removeprefix("file://"))


def _rewrite(path: Path, data: bytes) -> None:
    os.chmod(path, 0o644)
    path.write_bytes(data)


def _kinds(store: EvidenceStore) -> set[str]:
    return {p.kind for p in verify_store(store.backend, store.trusted).problems}


def test_intact_store_verifies(store: EvidenceStore) -> None:
    report = verify_store(store.backend, store.trusted)
    assert report.ok, report.problems
    assert report.records == 13 and report.checkpoints == 3 and not report.warnings


def test_recording_the_same_statements_again_adds_nothing(store: EvidenceStore) -> None:
    committed = store.record(results(5, "run-1"))
    assert committed.records == 0 and store.head().size == 13


def _first_record(store: EvidenceStore) -> Path:
    digest = store.index.records(run_id="run-1")[-1].digest
    return _root(store) / record_key(digest)


def test_edited_record(store: EvidenceStore) -> None:
    path = _first_record(store)
    _rewrite(path, path.read_bytes().replace(b'"payloadType"', b'"payloadType" '))
    assert "edited" in _kinds(store)


def test_deleted_record(store: EvidenceStore) -> None:
    _first_record(store).unlink()
    assert "missing" in _kinds(store)


def test_moved_record(store: EvidenceStore) -> None:
    path = _first_record(store)
    path.rename(path.with_name("0" * 64 + ".json"))
    assert {"missing", "moved"} <= _kinds(store)


def test_reordered_entries(store: EvidenceStore) -> None:
    path = _root(store) / segment_key(0, 5)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(path, b"".join(lines))
    assert {"reordered", "edited"} <= _kinds(store)


def test_deleted_segment_and_middle_checkpoint(store: EvidenceStore) -> None:
    (_root(store) / segment_key(6, 9)).unlink()
    (_root(store) / checkpoint_key(10)).unlink()
    kinds = _kinds(store)
    assert {"reordered", "checkpoint-chain"} <= kinds


def test_missing_checkpoint_leaves_its_segment_unsealed(store: EvidenceStore) -> None:
    (_root(store) / checkpoint_key(13)).unlink()
    assert "unsealed" in _kinds(store)


def test_replayed_record(store: EvidenceStore) -> None:
    """An insider with the key re-appends an old record: the chain verifies, the duplicate does not."""
    old = store.index.records(run_id="run-1")[-1]
    store._commit([(old.digest, old.kind)])
    assert _kinds(store) == {"replayed"}


def test_edited_snapshot_blob(store: EvidenceStore) -> None:
    blob = next((_root(store) / "blobs" / "sha256").iterdir())
    _rewrite(blob, blob.read_bytes().replace(b"true", b"false"))
    assert "edited" in _kinds(store)


def test_signature_by_an_unknown_key(store: EvidenceStore, tmp_path: Path) -> None:
    intruder = Ed25519Signer.load_or_create(tmp_path / "intruder.pem")
    rogue = EvidenceStore(
        store.backend,
        store.index,
        intruder,
        {**store.trusted, intruder.key_id: PublicKey(intruder.public_pem())},
        tmp_path / "spool2",
    )
    rogue.record(results(2, "run-9", start=90))
    assert "unknown-key" in _kinds(store)


def test_rotated_keys_all_verify(tmp_path: Path) -> None:
    first = make_store(tmp_path, "old.pem")
    first.record(results(3, "a"))
    second = make_store(tmp_path, "new.pem", trusted_extra=first.trusted)
    second.record(results(3, "b", start=10))
    assert verify_store(second.backend, second.trusted).ok
    assert "unknown-key" in {p.kind for p in verify_store(second.backend, first.trusted).problems}


def test_a_crash_after_spooling_is_finished_on_restart(tmp_path: Path) -> None:
    s = make_store(tmp_path)
    with s._lock():
        s._spool(results(4, "r"))  # spooled, never uploaded: the process "died" here
    again = make_store(tmp_path)
    assert again.recover() == 4 and again.recover() == 0
    assert verify_store(again.backend, again.trusted).ok and again.head().size == 4


def test_an_unfinished_spool_batch_is_discarded(tmp_path: Path) -> None:
    s = make_store(tmp_path)
    with s._lock():
        batch = s._spool(results(2, "r"))
    assert batch is not None
    (batch / "batch.json").unlink()  # died before the manifest: nothing was acknowledged
    assert make_store(tmp_path).recover() == 0
    assert not [p for p in (tmp_path / "spool").iterdir() if p.is_dir()]


def test_verify_only_some_records(store: EvidenceStore) -> None:
    digest = store.index.records(run_id="run-2")[0].digest
    report = verify_store(store.backend, store.trusted, [digest])
    assert report.ok and report.records == 1
    shutil.rmtree(_root(store) / "blobs")
    assert not verify_store(store.backend, store.trusted).ok


def test_recovery_replaces_a_record_a_power_loss_left_truncated(tmp_path: Path) -> None:
    s = make_store(tmp_path)
    with s._lock():
        batch = s._spool(results(2, "r"))
    assert batch is not None
    first = (batch / "data.jsonl").read_text().splitlines()[0]
    envelope = json.loads(first)["envelope"].encode()
    damaged = _root(s) / record_key(sha256_hex(envelope))
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_bytes(envelope[:10])  # the name was written, the data never reached the disk
    again = make_store(tmp_path)
    assert again.recover() == 2
    assert verify_store(again.backend, again.trusted).ok


def test_recording_and_verifying_report_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(tmp_path)
    uploads: list[tuple[int, int | None]] = []
    store.record(results(300, "run-big"), lambda done, total: uploads.append((done, total)))
    assert uploads == [(n, 300) for n in range(1, 301)]
    checks: list[tuple[int, int | None]] = []
    monkeypatch.setattr("evidence_store.verify.PARALLEL_FROM", 10**6)  # in this process, chunk by chunk
    monkeypatch.setattr("evidence_store.verify.CHUNK", 128)
    report = verify_store(store.backend, store.trusted, progress=lambda d, t: checks.append((d, t)))
    assert report.ok and report.records == 300
    assert checks == [(128, 300), (256, 300), (300, 300)]
