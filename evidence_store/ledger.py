"""The ledger: every record appended to a hash chain, sealed by signed checkpoints, as CloudTrail digests do.

An entry commits to its sequence number, the record's digest, the key it is stored under and the previous
entry's hash. A checkpoint signs (size, head hash, the segment it seals and its digest, the previous
checkpoint's signature, time), so an edited, deleted, moved, reordered or replayed record, and a missing
checkpoint, each break something a verifier checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evidence_store.canonical import canonical, sha256_hex
from evidence_store.statement import Statement, Subject

GENESIS = "0" * 64


def record_key(digest: str) -> str:
    return f"records/sha256/{digest}.json"


def blob_key(digest: str) -> str:
    return f"blobs/sha256/{digest}.json"


def segment_key(first: int, last: int) -> str:
    return f"ledger/{first:012d}-{last:012d}.jsonl"


def checkpoint_key(size: int) -> str:
    return f"checkpoints/{size:012d}.json"


@dataclass(frozen=True)
class Entry:
    seq: int
    digest: str
    key: str
    kind: str
    prev: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "digest": self.digest, "key": self.key, "kind": self.kind, "prev": self.prev}

    @property
    def hash(self) -> str:
        return sha256_hex(canonical(self.to_json()))


def chain(start: int, prev: str, items: list[tuple[str, str]]) -> list[Entry]:
    """Entries for (digest, kind) items appended after `start` entries whose head hash is `prev`."""
    entries = []
    for offset, (digest, kind) in enumerate(items):
        entry = Entry(start + offset, digest, record_key(digest), kind, prev)
        entries.append(entry)
        prev = entry.hash
    return entries


def segment_bytes(entries: list[Entry]) -> bytes:
    return b"".join(canonical(e.to_json()) + b"\n" for e in entries)


def parse_segment(data: bytes) -> list[Entry]:
    entries = []
    for line in data.decode().splitlines():
        doc = json.loads(line)
        entries.append(
            Entry(int(doc["seq"]), str(doc["digest"]), str(doc["key"]), str(doc["kind"]), str(doc["prev"]))
        )
    return entries


@dataclass(frozen=True)
class Head:
    """The sealed end of the ledger: what the last checkpoint signed."""

    size: int
    hash: str
    checkpoint_key: str | None
    checkpoint_signature: str | None  # base64, as in the checkpoint's envelope


EMPTY = Head(0, GENESIS, None, None)


def checkpoint_statement(
    head: Head, entries: list[Entry], segment: str, segment_digest: str, at: datetime
) -> Statement:
    new_head = entries[-1].hash
    predicate = {
        "size": entries[-1].seq + 1,
        "head": new_head,
        "segment": segment,
        "segment_sha256": segment_digest,
        "previous_checkpoint": head.checkpoint_key,
        "previous_checkpoint_signature": head.checkpoint_signature,
        "time": at.isoformat(),
    }
    return Statement(
        "checkpoint", (Subject("ledger-head", new_head), Subject(segment, segment_digest)), predicate
    )
