"""Verify the store: every checkpoint, every ledger segment, every record, and what lies outside the ledger.

Failure classes follow CloudTrail's validate-logs: edited (bytes differ from what was signed or chained),
missing (deleted record, segment or blob), moved (stored under another key), reordered (hash chain broken),
replayed (the same record twice), unsealed (no checkpoint seals it), checkpoint-chain (a checkpoint missing
or out of order), bad-signature and unknown-key.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from evidence_store.backends import Backend, LocalBackend, MissingObject
from evidence_store.canonical import sha256_hex
from evidence_store.dsse import EnvelopeError, Opened, Verifier, open_envelope
from evidence_store.ledger import (
    GENESIS,
    Entry,
    blob_key,
    checkpoint_key,
    parse_segment,
    record_key,
    segment_key,
)

_RECORD_KEY = re.compile(r"^records/sha256/([0-9a-f]{64})\.json$")


@dataclass(frozen=True)
class Problem:
    kind: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}: {self.message}"


@dataclass
class Report:
    records: int = 0
    bytes: int = 0
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, kind: str, key: str, message: str) -> None:
        self.problems.append(Problem(kind, key, message))


def _open(data: bytes, key: str, trusted: Mapping[str, Verifier], report: Report) -> Opened | None:
    try:
        return open_envelope(data, trusted)
    except EnvelopeError as exc:
        report.fail("unknown-key" if "unknown key" in str(exc) else "bad-signature", key, str(exc))
        return None


def _checkpoints(
    backend: Backend, trusted: Mapping[str, Verifier], report: Report
) -> dict[str, dict[str, Any]]:
    """Walk the checkpoint chain; return what each checkpoint sealed, by segment key."""
    sealed: dict[str, dict[str, Any]] = {}
    prev_key, prev_sig, prev_size = None, None, 0
    for key in backend.list("checkpoints/"):
        opened = _open(backend.get(key), key, trusted, report)
        report.checkpoints += 1
        if opened is None:
            continue
        p = opened.statement.predicate
        size = int(p["size"])
        if p.get("previous_checkpoint") != prev_key or p.get("previous_checkpoint_signature") != prev_sig:
            report.fail(
                "checkpoint-chain",
                key,
                f"does not follow {prev_key or 'the start'}: a checkpoint "
                "before it is missing, or checkpoints were reordered",
            )
        if key != checkpoint_key(size):
            report.fail("moved", key, f"checkpoint of size {size} belongs at {checkpoint_key(size)}")
        if p.get("segment") != segment_key(prev_size, size - 1):
            report.fail(
                "checkpoint-chain", key, f"seals {p.get('segment')}, expected entries {prev_size}..{size - 1}"
            )
        sealed[str(p.get("segment"))] = p
        prev_key, prev_sig, prev_size = key, opened.signature, size
    return sealed


def _record(entry: Entry, backend: Backend, trusted: Mapping[str, Verifier], report: Report) -> None:
    if entry.key != record_key(entry.digest):
        report.fail(
            "moved", entry.key, f"ledger entry {entry.seq} names {entry.key}, not {record_key(entry.digest)}"
        )
        return
    try:
        data = backend.get(entry.key)
    except MissingObject:
        report.fail("missing", entry.key, f"record {entry.seq} was deleted or moved")
        return
    report.records += 1
    report.bytes += len(data)
    if sha256_hex(data) != entry.digest:
        report.fail("edited", entry.key, f"record {entry.seq}: content no longer matches its digest")
        return
    opened = _open(data, entry.key, trusted, report)
    if opened is not None and opened.statement.kind != entry.kind:
        report.fail(
            "edited",
            entry.key,
            f"record {entry.seq} is a {opened.statement.kind}, the ledger says {entry.kind}",
        )
    if opened is not None and opened.statement.kind == "snapshot":
        _blob(opened, entry, backend, report)


def _blob(opened: Opened, entry: Entry, backend: Backend, report: Report) -> None:
    digest = opened.statement.subjects[0].sha256
    try:
        data = backend.get(blob_key(digest))
    except MissingObject:
        report.fail("missing", blob_key(digest), f"the snapshot blob of record {entry.seq} is missing")
        return
    report.bytes += len(data)
    if sha256_hex(data) != digest:
        report.fail("edited", blob_key(digest), f"the snapshot blob of record {entry.seq} was altered")


def _segment(key: str, backend: Backend, seal: dict[str, Any] | None, report: Report) -> list[Entry]:
    data = backend.get(key)
    if seal is None:
        report.fail("unsealed", key, "no checkpoint seals this ledger segment")
    elif sha256_hex(data) != seal.get("segment_sha256"):
        report.fail("edited", key, "the ledger segment changed after its checkpoint signed it")
    try:
        return parse_segment(data)
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        report.fail("edited", key, f"ledger segment does not parse: {exc}")
        return []


def verify_store(
    backend: Backend,
    trusted: Mapping[str, Verifier],
    only: Iterable[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Report:
    """Everything by default; with `only`, the chain in full but only those records' contents.
    `progress(records checked, records to check)` follows the record checks."""
    report = Report()
    wanted = set(only) if only is not None else None
    sealed = _checkpoints(backend, trusted, report)
    expected_seq, expected_prev = 0, GENESIS
    seen: dict[str, int] = {}
    to_check: list[Entry] = []
    for key in backend.list("ledger/"):
        seal = sealed.pop(key, None)
        entries = _segment(key, backend, seal, report)
        for entry in entries:
            if entry.seq != expected_seq or entry.prev != expected_prev:
                report.fail(
                    "reordered",
                    key,
                    f"entry {entry.seq}: the chain breaks (expected entry {expected_seq}); "
                    "entries were removed, inserted or reordered",
                )
            expected_seq, expected_prev = entry.seq + 1, entry.hash
            if entry.digest in seen:
                report.fail(
                    "replayed", entry.key, f"recorded twice (entries {seen[entry.digest]} and {entry.seq})"
                )
            seen[entry.digest] = entry.seq
            if wanted is None or entry.digest in wanted:
                to_check.append(entry)
        if seal is not None and entries and seal.get("head") != entries[-1].hash:
            report.fail("edited", key, "the segment's last entry is not the head its checkpoint signed")
    _check_records(to_check, backend, trusted, report, progress)
    for key in sealed:
        report.fail("missing", key, "a checkpoint seals this ledger segment, which is missing")
    for digest in sorted((wanted or set()) - seen.keys()):
        report.fail("missing", record_key(digest), "not in the ledger")
    if wanted is None:
        _outside_ledger(backend, seen, report)
    return report


_SHARED: tuple[Backend, Mapping[str, Verifier]] | None = None
PARALLEL_FROM = 256
CHUNK = 512  # records per task


def _share(backend: Backend, trusted: Mapping[str, Verifier]) -> None:
    global _SHARED
    _SHARED = (backend, trusted)


def _check_chunk(entries: list[Entry]) -> Report:
    assert _SHARED is not None
    return _checked(entries, *_SHARED)


def _check_records(
    entries: list[Entry],
    backend: Backend,
    trusted: Mapping[str, Verifier],
    report: Report,
    progress: Callable[[int, int | None], None] | None = None,
) -> None:
    """Signatures dominate the cost: check records on every core (forked workers inherit the keys), or on
    threads for remote stores, where the wait is the network."""
    workers = os.cpu_count() or 1
    chunks = [entries[i : i + CHUNK] for i in range(0, len(entries), CHUNK)]
    with ExitStack() as stack:
        if len(entries) < PARALLEL_FROM or workers < 2:
            parts: Iterator[Report] = (_checked(chunk, backend, trusted) for chunk in chunks)
        elif isinstance(backend, LocalBackend) and threading.active_count() == 1:
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_share,
                initargs=(backend, trusted),
            )
            parts = stack.enter_context(pool).map(_check_chunk, chunks)
        else:
            threads = stack.enter_context(ThreadPoolExecutor(max(8, workers)))
            parts = threads.map(lambda chunk: _checked(chunk, backend, trusted), chunks)
        for done, part in enumerate(parts, 1):
            report.records += part.records
            report.bytes += part.bytes
            report.problems += part.problems
            if progress is not None:
                progress(min(done * CHUNK, len(entries)), len(entries))


def _checked(entries: list[Entry], backend: Backend, trusted: Mapping[str, Verifier]) -> Report:
    report = Report()
    for entry in entries:
        _record(entry, backend, trusted, report)
    return report


def _outside_ledger(backend: Backend, seen: dict[str, int], report: Report) -> None:
    """Records the ledger does not name: moved ones fail; intact ones a crash left behind are only noted."""
    for key in backend.list("records/"):
        match = _RECORD_KEY.match(key)
        if match and match.group(1) in seen:
            continue
        digest = sha256_hex(backend.get(key))
        if match is None or digest != match.group(1):
            report.fail("moved", key, f"holds record {digest[:16]}…, which belongs at {record_key(digest)}")
        else:
            report.warnings.append(
                Problem("unledgered", key, "uploaded but never committed (a crashed write); not evidence")
            )
