"""Tables of the evidence index (metadata only, never payloads) and the row types callers exchange.

Every timestamp is stored as UTC. PostgreSQL keeps it in a ``timestamptz`` column; SQLite has no zone
support, so the value is written as naive UTC text (which also sorts correctly) and given its UTC zone
back on the way out. Naive datetimes are refused on the way in: their meaning would depend on the host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, ForeignKey, Integer, MetaData, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from evidence_store.statement import KINDS

RECORD_KINDS = frozenset(KINDS)
RUN_KINDS = frozenset({"evaluate", "collect", "gate"})
RUN_STATUSES = frozenset({"running", "complete", "partial", "failed"})

_DIGEST = re.compile(r"[0-9a-f]{64}")

# Explicit constraint names, so the hand-written migration and these models name things identically.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def require_utc(name: str, value: datetime) -> datetime:
    """Return ``value`` converted to UTC; a naive datetime is an error naming the field."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name}: got naive datetime {value.isoformat()}, expected a timezone-aware one")
    return value.astimezone(UTC)


def require_digest(name: str, value: str) -> str:
    """Check that ``value`` is a lowercase sha256 hex digest."""
    if not _DIGEST.fullmatch(value):
        raise ValueError(f"{name}: got {value!r}, expected 64 lowercase hex characters (sha256)")
    return value


def require_member(name: str, value: str, allowed: frozenset[str]) -> str:
    """Check that ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name}: got {value!r}, expected one of {', '.join(sorted(allowed))}")
    return value


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime that always comes back in UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = require_utc("timestamp", value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Record(Base):
    __tablename__ = "records"

    digest: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text, index=True)
    predicate_type: Mapped[str] = mapped_column(Text)
    run_id: Mapped[str | None] = mapped_column(Text, index=True)
    policy_id: Mapped[str | None] = mapped_column(Text)
    resource_id: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    key_id: Mapped[str] = mapped_column(Text)
    ledger_seq: Mapped[int] = mapped_column(BigInteger)
    retain_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    controls: Mapped[list[RecordControl]] = relationship(
        order_by="RecordControl.position", cascade="all, delete-orphan", lazy="selectin"
    )


class RecordControl(Base):
    """One row per (record, control id); ``position`` keeps the order the caller gave."""

    __tablename__ = "record_controls"

    digest: Mapped[str] = mapped_column(
        Text, ForeignKey("records.digest", ondelete="CASCADE"), primary_key=True
    )
    control_id: Mapped[str] = mapped_column(Text, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class Run(Base):
    __tablename__ = "runs"

    run_id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(Text)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    population: Mapped[dict[str, Any]] = mapped_column(JSON)
    failures: Mapped[list[Any]] = mapped_column(JSON)


class Checkpoint(Base):
    __tablename__ = "checkpoints"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    head: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(Text, unique=True)
    key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass
class RecordRow:
    """Index metadata of one DSSE envelope stored under ``key``; ``digest`` is the envelope's sha256."""

    digest: str
    key: str
    kind: str
    predicate_type: str
    run_id: str | None
    control_ids: list[str]
    policy_id: str | None
    resource_id: str | None
    status: str | None
    recorded_at: datetime
    key_id: str
    ledger_seq: int
    retain_until: datetime | None = None

    def __post_init__(self) -> None:
        require_digest("RecordRow.digest", self.digest)
        require_member("RecordRow.kind", self.kind, RECORD_KINDS)
        self.recorded_at = require_utc("RecordRow.recorded_at", self.recorded_at)
        if self.retain_until is not None:
            self.retain_until = require_utc("RecordRow.retain_until", self.retain_until)


@dataclass
class RunRow:
    run_id: str
    kind: str
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"
    scope: dict[str, Any] = field(default_factory=dict)
    population: dict[str, Any] = field(default_factory=dict)
    failures: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        require_member("RunRow.kind", self.kind, RUN_KINDS)
        require_member("RunRow.status", self.status, RUN_STATUSES)
        self.started_at = require_utc("RunRow.started_at", self.started_at)
        if self.finished_at is not None:
            self.finished_at = require_utc("RunRow.finished_at", self.finished_at)


@dataclass
class CheckpointRow:
    size: int
    head: str
    digest: str
    key: str
    created_at: datetime

    def __post_init__(self) -> None:
        if self.size < 0:
            raise ValueError(f"CheckpointRow.size: got {self.size}, expected a ledger size of 0 or more")
        require_digest("CheckpointRow.digest", self.digest)
        self.created_at = require_utc("CheckpointRow.created_at", self.created_at)
