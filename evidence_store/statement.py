"""in-toto Statement v1 with Assay's predicate types."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
PREDICATE_BASE = "https://assay.dev/predicates"
KINDS = (
    "policy-result",
    "snapshot",
    "gate-run",
    "collection-run",
    "drift-report",
    "checkpoint",
    "erasure-certificate",
    "pack-manifest",
)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class StatementError(ValueError):
    """A payload that is not an in-toto Statement v1 of a known Assay predicate type."""


def predicate_type(kind: str) -> str:
    if kind not in KINDS:
        raise StatementError(f"unknown evidence kind {kind!r}")
    return f"{PREDICATE_BASE}/{kind}/v1"


def kind_of(predicate_type_uri: str) -> str:
    for kind in KINDS:
        if predicate_type_uri == f"{PREDICATE_BASE}/{kind}/v1":
            return kind
    raise StatementError(f"unsupported predicate type {predicate_type_uri!r}")


@dataclass(frozen=True)
class Subject:
    name: str
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "digest": {"sha256": self.sha256}}


@dataclass(frozen=True)
class Statement:
    kind: str
    subjects: tuple[Subject, ...]
    predicate: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        if not self.subjects:
            raise StatementError("a statement needs at least one subject")
        return {
            "_type": STATEMENT_TYPE,
            "subject": [s.to_json() for s in self.subjects],
            "predicateType": predicate_type(self.kind),
            "predicate": self.predicate,
        }


def parse_statement(doc: Any) -> Statement:
    """Check the Statement v1 shape strictly; subjects need lowercase sha256 digests."""
    if not isinstance(doc, dict) or doc.get("_type") != STATEMENT_TYPE:
        raise StatementError("not an in-toto Statement v1")
    subjects = doc.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise StatementError("a statement needs at least one subject")
    parsed = []
    for s in subjects:
        digest = (s.get("digest") or {}).get("sha256") if isinstance(s, dict) else None
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise StatementError(f"subject {s!r} has no sha256 digest")
        parsed.append(Subject(str(s.get("name", "")), digest))
    predicate = doc.get("predicate") or {}
    if not isinstance(predicate, dict):
        raise StatementError("predicate must be an object")
    return Statement(kind_of(str(doc.get("predicateType"))), tuple(parsed), predicate)
