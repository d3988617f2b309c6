"""The evidence store: sign, spool, upload, then commit a ledger segment and its checkpoint.

Commit protocol (crash-safe): 1) every envelope and blob is written to the local spool with a batch
manifest last; 2) each is uploaded (content-addressed, idempotent) and the backend flushed; 3) the ledger
segment, then the signed checkpoint sealing it, are written and flushed: a record is acknowledged only
then; 4) the index learns of it; 5) the spool batch is removed. A restart re-drives every spooled batch,
so nothing acknowledged is lost, nothing is recorded twice, and no checkpoint names a missing object.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evidence_store.backends import Backend, ConflictingObject, MissingObject
from evidence_store.canonical import canonical, sha256_hex
from evidence_store.dsse import Signer, Verifier, open_envelope, sign_statement
from evidence_store.index import CheckpointRow, EvidenceIndex, RecordRow
from evidence_store.ledger import (
    EMPTY,
    Head,
    blob_key,
    chain,
    checkpoint_key,
    checkpoint_statement,
    parse_segment,
    record_key,
    segment_bytes,
    segment_key,
)
from evidence_store.records import Pending


class StoreError(RuntimeError):
    """The spool or the store is damaged in a way the writer cannot repair by itself."""


@dataclass(frozen=True)
class Committed:
    records: int
    first_seq: int
    size: int
    checkpoint: str | None


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class EvidenceStore:
    def __init__(
        self,
        backend: Backend,
        index: EvidenceIndex,
        signer: Signer,
        trusted: dict[str, Verifier],
        spool: Path,
        ledger_retention: timedelta = timedelta(days=2555),
    ):
        self.backend, self.index, self.signer, self.trusted = backend, index, signer, trusted
        self.spool = spool
        self.ledger_retention = ledger_retention
        spool.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time per spool: the ledger is a single chain."""
        with open(self.spool / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def head(self) -> Head:
        keys = self.backend.list("checkpoints/")
        if not keys:
            return EMPTY
        opened = open_envelope(self.backend.get(keys[-1]), self.trusted)
        predicate = opened.statement.predicate
        return Head(int(predicate["size"]), str(predicate["head"]), keys[-1], opened.signature)

    def record(
        self, items: list[Pending], progress: Callable[[int, int | None], None] | None = None
    ) -> Committed:
        """Sign, spool, upload and commit `items`; `progress(done, total)` follows the uploads."""
        if not items:
            return Committed(0, 0, self.head().size, None)
        with self._lock():
            self._recover()
            batch = self._spool(items)
            if batch is None:
                return Committed(0, self.head().size, self.head().size, None)
            return self._drive(batch, progress)

    def recover(self) -> int:
        """Finish what a crashed writer left in the spool; returns the number of records committed."""
        with self._lock():
            return self._recover()

    def _recover(self) -> int:
        done = 0
        for batch in sorted(p for p in self.spool.iterdir() if p.is_dir()):
            if (batch / "batch.json").exists():
                done += self._drive(batch).records
            else:
                shutil.rmtree(batch)  # spooling never finished, or cleaning up after its commit did not
        return done

    def _spool(self, items: list[Pending]) -> Path | None:
        """One data file (envelopes and blobs) made durable with one fsync, then the manifest, atomically.

        A statement already in the store is not recorded again (signatures are deterministic for Ed25519,
        and the index knows every committed digest), so re-running a job never duplicates evidence.
        """
        manifest, lines = [], []
        envelopes = [sign_statement(item.statement, self.signer) for item in items]
        known = self.index.existing([sha256_hex(e) for e in envelopes])
        for item, envelope in zip(items, envelopes, strict=True):
            if sha256_hex(envelope) in known:
                continue
            manifest.append(_manifest_row(item, sha256_hex(envelope), self.signer.key_id))
            blob = item.blob.decode() if item.blob is not None else None
            lines.append(json.dumps({"envelope": envelope.decode(), "blob": blob}, ensure_ascii=False))
        if not manifest:
            return None
        batch = self.spool / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        batch.mkdir()
        _atomic_write(batch / "data.jsonl", ("\n".join(lines) + "\n").encode())
        _atomic_write(batch / "batch.json", canonical(manifest))
        return batch

    def _drive(self, batch: Path, progress: Callable[[int, int | None], None] | None = None) -> Committed:
        manifest = json.loads((batch / "batch.json").read_bytes())
        data = [json.loads(line) for line in (batch / "data.jsonl").read_text(encoding="utf-8").splitlines()]
        for done, (row, item) in enumerate(zip(manifest, data, strict=True), 1):
            retain = datetime.fromisoformat(row["retain_until"])
            if item["blob"] is not None:
                blob = item["blob"].encode()
                self._put_content(blob_key(sha256_hex(blob)), blob, retain)
            envelope = item["envelope"].encode()
            if sha256_hex(envelope) != row["digest"]:
                raise StoreError(f"{batch}: spooled record {row['digest']} is damaged; not uploaded")
            self._put_content(record_key(row["digest"]), envelope, retain)
            if progress is not None:
                progress(done, len(manifest))
        self.backend.flush()
        committed = self._commit([(row["digest"], row["kind"]) for row in manifest])
        self.index.add_records([_index_row(row, committed.first_seq + i) for i, row in enumerate(manifest)])
        (batch / "batch.json").unlink()  # first: a batch without its manifest is never driven again
        shutil.rmtree(batch)
        return committed

    def _put_content(self, key: str, data: bytes, retain: datetime) -> None:
        """A content-addressed put; an object a crash left truncated under its final name is replaced.

        Only a stored object whose bytes no longer hash to its own name counts as damaged; on S3 such an
        object cannot exist (uploads are checksummed and atomic), and a locked one could not be deleted.
        """
        try:
            self.backend.put(key, data, retain_until=retain)
        except ConflictingObject:
            if sha256_hex(self.backend.get(key)) == sha256_hex(data):
                raise
            self.backend.delete(key)
            self.backend.put(key, data, retain_until=retain)

    def _commit(self, items: list[tuple[str, str]]) -> Committed:
        head = self.head()
        already = self._already_committed(head, [d for d, _ in items])
        if already is not None:
            return already
        entries = chain(head.size, head.hash, items)
        segment = segment_key(entries[0].seq, entries[-1].seq)
        data = segment_bytes(entries)
        retain = datetime.now(UTC) + self.ledger_retention
        self.backend.put(segment, data, retain_until=retain)
        self.backend.flush()
        now = datetime.now(UTC)
        statement = checkpoint_statement(head, entries, segment, sha256_hex(data), now)
        envelope = sign_statement(statement, self.signer)
        key = checkpoint_key(entries[-1].seq + 1)
        self.backend.put(key, envelope, retain_until=retain)
        self.backend.flush()
        self.index.add_checkpoint(
            CheckpointRow(entries[-1].seq + 1, entries[-1].hash, sha256_hex(envelope), key, now)
        )
        return Committed(len(entries), entries[0].seq, entries[-1].seq + 1, key)

    def _already_committed(self, head: Head, digests: list[str]) -> Committed | None:
        """A re-driven batch whose checkpoint was written before the crash is not appended again."""
        if head.size < len(digests) or head.checkpoint_key is None:
            return None
        segment = segment_key(head.size - len(digests), head.size - 1)
        try:
            entries = parse_segment(self.backend.get(segment))
        except MissingObject:
            return None
        if [e.digest for e in entries] != digests:
            return None
        return Committed(len(entries), entries[0].seq, head.size, head.checkpoint_key)


def _manifest_row(item: Pending, digest: str, key_id: str) -> dict[str, object]:
    return {
        "digest": digest,
        "key_id": key_id,
        "kind": item.statement.kind,
        "blob": item.blob is not None,
        "retain_until": item.retain_until.isoformat(),
        "run_id": item.run_id,
        "control_ids": item.control_ids,
        "policy_id": item.policy_id,
        "resource_id": item.resource_id,
        "status": item.status,
        "predicate_type": item.statement.to_json()["predicateType"],
        "recorded_at": datetime.now(UTC).isoformat(),
    }


def _index_row(row: dict[str, Any], seq: int) -> RecordRow:
    return RecordRow(
        digest=row["digest"],
        key=record_key(row["digest"]),
        kind=row["kind"],
        predicate_type=row["predicate_type"],
        run_id=row["run_id"],
        control_ids=list(row["control_ids"]),
        policy_id=row["policy_id"],
        resource_id=row["resource_id"],
        status=row["status"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        key_id=row["key_id"],
        ledger_seq=seq,
        retain_until=datetime.fromisoformat(row["retain_until"]),
    )
