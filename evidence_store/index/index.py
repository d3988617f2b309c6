"""EvidenceIndex: the SQL index over stored evidence (SQLite by default, PostgreSQL in production).

Opening an index brings its schema up to date with the Alembic migrations shipped in this package,
on the very connection the index uses (so in-memory SQLite works too). Alembic's logging setup is
never loaded: log records from the migration go to whatever handlers the application configured.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import URL, Connection, Engine, Select, Table, create_engine, event, exists, make_url, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from evidence_store.index.models import (
    RUN_STATUSES,
    Base,
    Checkpoint,
    CheckpointRow,
    Record,
    RecordControl,
    RecordRow,
    Run,
    RunRow,
    require_member,
    require_utc,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    RowT = TypeVar("RowT", bound=DataclassInstance)

MIGRATIONS = Path(__file__).with_name("migrations")
_HEX_PREFIX = re.compile(r"[0-9a-f]{1,64}")
# Key of the PostgreSQL advisory lock that serialises concurrent first-time migrations.
_MIGRATION_LOCK_KEY = 0x45564944  # "EVID"
_FINISHED_STATUSES = RUN_STATUSES - {"running"}
_RECORDS = Base.metadata.tables[Record.__tablename__]
_RECORD_CONTROLS = Base.metadata.tables[RecordControl.__tablename__]


def _database_url(url: str) -> URL:
    """Parse ``url``, pick psycopg 3 for a bare ``postgresql://`` and create a SQLite file's parent dirs."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise ValueError(
            f"index URL {parsed}: database {backend!r} is not supported, expected sqlite or postgresql"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    database = parsed.database or ""
    if backend == "sqlite" and database not in {"", ":memory:"} and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    return parsed


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config(connection: Connection) -> Any:
    """An in-memory Alembic configuration (no ini file, hence no logging setup) bound to ``connection``."""
    from alembic.config import Config  # imported when a database is opened, not by every command

    config = Config(stdout=io.StringIO())
    # ConfigParser interpolates '%', which may appear in paths and in URL-encoded passwords.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    url = connection.engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade_schema(engine: Engine) -> None:
    """Run ``alembic upgrade head`` unless the database already is at the head revision."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        config = _alembic_config(connection)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        if set(MigrationContext.configure(connection).get_current_heads()) != heads:
            command.upgrade(config, "head")


def _values(row: DataclassInstance, *skip: str) -> dict[str, Any]:
    return {f.name: getattr(row, f.name) for f in fields(row) if f.name not in skip}


def _to_row(cls: type[RowT], entity: Any, **overrides: Any) -> RowT:
    values = {f.name: getattr(entity, f.name) for f in fields(cls) if f.name not in overrides}
    return cls(**values, **overrides)


def _record_row(record: Record) -> RecordRow:
    return _to_row(RecordRow, record, control_ids=[link.control_id for link in record.controls])


class EvidenceIndex:
    """Metadata of evidence records, runs and checkpoints; payloads stay in the storage backend."""

    def __init__(self, url: str) -> None:
        self.url = _database_url(url)
        self._engine = create_engine(self.url)
        if self.url.get_backend_name() == "sqlite":
            event.listen(self._engine, "connect", _enable_sqlite_foreign_keys)
        upgrade_schema(self._engine)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def close(self) -> None:
        """Release every pooled database connection."""
        self._engine.dispose()

    def _insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def add_records(self, rows: Sequence[RecordRow]) -> None:
        """Insert ``rows`` in one transaction; a digest already indexed keeps its existing row."""
        unique: dict[str, RecordRow] = {}
        for row in rows:
            unique.setdefault(row.digest, row)
        if not unique:
            return
        new_records = (
            self._insert(_RECORDS)
            .on_conflict_do_nothing(index_elements=["digest"])
            .returning(_RECORDS.c.digest)
        )
        with self._sessions.begin() as session:
            added = session.scalars(new_records, [_values(row, "control_ids") for row in unique.values()])
            links = [
                {"digest": digest, "control_id": control_id, "position": position}
                for digest in added
                for position, control_id in enumerate(dict.fromkeys(unique[digest].control_ids))
            ]
            if links:
                session.execute(self._insert(_RECORD_CONTROLS), links)

    def has(self, digest: str) -> bool:
        with self._sessions() as session:
            return bool(session.scalar(select(exists().where(Record.digest == digest))))

    def existing(self, digests: Sequence[str]) -> set[str]:
        """Which of `digests` the index already holds (one query per thousand)."""
        found: set[str] = set()
        with self._sessions() as session:
            for start in range(0, len(digests), 1000):
                chunk = list(digests[start : start + 1000])
                found.update(session.scalars(select(Record.digest).where(Record.digest.in_(chunk))))
        return found

    def get(self, digest: str) -> RecordRow | None:
        with self._sessions() as session:
            record = session.get(Record, digest)
            return None if record is None else _record_row(record)

    def find(self, prefix: str) -> list[RecordRow]:
        """Records whose digest starts with ``prefix`` (hex, any case), in digest order."""
        wanted = prefix.lower()
        if not _HEX_PREFIX.fullmatch(wanted):
            raise ValueError(f"digest prefix {prefix!r}: expected 1 to 64 hex characters")
        return self._fetch(select(Record).where(Record.digest.startswith(wanted)).order_by(Record.digest))

    def records(
        self,
        *,
        control: str | None = None,
        since: datetime | None = None,
        kind: str | None = None,
        run_id: str | None = None,
        limit: int | None = None,
    ) -> list[RecordRow]:
        """Records matching every given filter, newest first; ``since`` is inclusive."""
        query = select(Record)
        if control is not None:
            linked = select(RecordControl.digest).where(RecordControl.control_id == control)
            query = query.where(Record.digest.in_(linked))
        if since is not None:
            query = query.where(Record.recorded_at >= require_utc("since", since))
        if kind is not None:
            query = query.where(Record.kind == kind)
        if run_id is not None:
            query = query.where(Record.run_id == run_id)
        query = query.order_by(Record.recorded_at.desc(), Record.ledger_seq.desc(), Record.digest.desc())
        return self._fetch(_limited(query, limit))

    def _fetch(self, query: Select[Any]) -> list[RecordRow]:
        with self._sessions() as session:
            return [_record_row(record) for record in session.scalars(query)]

    def start_run(self, row: RunRow) -> None:
        with self._sessions.begin() as session:
            if session.get(Run, row.run_id) is not None:
                raise ValueError(f"run {row.run_id!r} is already in the index; run ids must be unique")
            session.add(Run(**_values(row)))

    def finish_run(
        self,
        run_id: str,
        status: str,
        finished_at: datetime,
        population: dict[str, Any],
        failures: list[Any],
    ) -> None:
        """Close a running run with its outcome; finishing it a second time is an error."""
        require_member("finish_run status", status, _FINISHED_STATUSES)
        finished = require_utc("finished_at", finished_at)
        with self._sessions.begin() as session:
            run = session.get(Run, run_id, with_for_update=True)
            if run is None:
                raise LookupError(f"run {run_id!r} is not in the index; call start_run first")
            if run.status != "running":
                raise ValueError(f"run {run_id!r} already finished with status {run.status!r}")
            run.status, run.finished_at = status, finished
            run.population, run.failures = dict(population), list(failures)

    def runs(self, limit: int | None = None) -> list[RunRow]:
        """Runs, most recently started first."""
        query = select(Run).order_by(Run.started_at.desc(), Run.run_id.desc())
        with self._sessions() as session:
            return [_to_row(RunRow, run) for run in session.scalars(_limited(query, limit))]

    def add_checkpoint(self, row: CheckpointRow) -> None:
        """Record a checkpoint; repeating it is a no-op, a different one at the same size an error."""
        with self._sessions.begin() as session:
            existing = session.get(Checkpoint, row.size)
            if existing is None:
                session.add(Checkpoint(**_values(row)))
            elif existing.digest != row.digest:
                raise ValueError(
                    f"checkpoint at ledger size {row.size}: index holds {existing.digest}, got {row.digest}"
                )

    def last_checkpoint(self) -> CheckpointRow | None:
        with self._sessions() as session:
            latest = session.scalar(select(Checkpoint).order_by(Checkpoint.size.desc()).limit(1))
            return None if latest is None else _to_row(CheckpointRow, latest)


def _limited(query: Select[Any], limit: int | None) -> Select[Any]:
    if limit is None:
        return query
    if limit < 0:
        raise ValueError(f"limit: got {limit}, expected 0 or more")
    return query.limit(limit)
