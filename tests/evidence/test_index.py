"""EvidenceIndex on SQLite (a file under tmp_path) and PostgreSQL (a throwaway database, a schema per test).

PostgreSQL must be running (``make test`` starts it); when it is not, the PostgreSQL cases error out
with a message saying so instead of being skipped.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Engine, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from evidence_store.index import CheckpointRow, EvidenceIndex, RecordRow, RunRow
from evidence_store.index.models import Base

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file in a not-yet-existing directory, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'nested' / 'dir' / 'index.db'}"
    database: URL = request.getfixturevalue("pg_database")
    schema = f"t_{secrets.token_hex(6)}"
    engine = create_engine(database, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    with_schema = database.update_query_dict({"options": f"-csearch_path={schema}"})
    return with_schema.render_as_string(hide_password=False)


@pytest.fixture
def index(db_url: str) -> Iterator[EvidenceIndex]:
    opened = EvidenceIndex(db_url)
    yield opened
    opened.close()


@pytest.fixture
def raw(db_url: str) -> Iterator[Engine]:
    """A plain engine on the same database, for looking behind the index's back."""
    engine = create_engine(db_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def digest(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def record(
    n: int,
    *,
    at: datetime = T0,
    controls: tuple[str, ...] = ("SOC2-CC6.1",),
    kind: str = "policy-result",
    run_id: str | None = "run-1",
) -> RecordRow:
    return RecordRow(
        digest=digest(n),
        key=f"records/sha256/{digest(n)}.json",
        kind=kind,
        predicate_type="https://assay.dev/policy-result/v1",
        run_id=run_id,
        control_ids=list(controls),
        policy_id="aws.s3.encryption",
        resource_id=f"aws_s3_bucket.b{n}",
        status="pass",
        recorded_at=at,
        key_id="key-1",
        ledger_seq=n,
    )


def versions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


def test_migration_creates_tables(index: EvidenceIndex, raw: Engine) -> None:
    inspector = inspect(raw)
    tables = set(inspector.get_table_names())
    assert {"records", "record_controls", "runs", "checkpoints", "alembic_version"} <= tables
    (foreign_key,) = inspector.get_foreign_keys("record_controls")
    assert (foreign_key["referred_table"], foreign_key["constrained_columns"]) == ("records", ["digest"])
    indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("record_controls")}
    assert ("control_id",) in indexed
    assert versions(raw) == ["0001"]


def test_migration_matches_models(index: EvidenceIndex, raw: Engine) -> None:
    with raw.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_add_records_is_idempotent_on_digest(index: EvidenceIndex) -> None:
    first = record(1, controls=("A", "B"))
    index.add_records([first, first])
    changed = record(1, controls=("C",), kind="snapshot")
    index.add_records([changed, record(2)])
    assert index.get(digest(1)) == first
    assert index.has(digest(2))
    assert len(index.records()) == 2
    index.add_records([])
    assert len(index.records()) == 2


def test_get_and_has_unknown_digest(index: EvidenceIndex) -> None:
    assert index.get(digest(9)) is None
    assert not index.has(digest(9))


def test_control_ids_keep_their_order_without_duplicates(index: EvidenceIndex) -> None:
    index.add_records([record(1, controls=("Z-2", "A-1", "Z-2", "M-3"))])
    stored = index.get(digest(1))
    assert stored is not None
    assert stored.control_ids == ["Z-2", "A-1", "M-3"]


def test_filters(index: EvidenceIndex) -> None:
    index.add_records(
        [
            record(1, controls=("A",), at=T0),
            record(2, controls=("A", "B"), at=T0 + timedelta(hours=1), kind="snapshot"),
            record(3, controls=("B",), at=T0 + timedelta(hours=2), run_id="run-2"),
            record(4, controls=(), at=T0 + timedelta(hours=3), run_id=None, kind="gate-run"),
        ]
    )

    def digests(**filters: object) -> list[str]:
        return [row.digest for row in index.records(**filters)]  # type: ignore[arg-type]

    assert digests(control="A") == [digest(2), digest(1)]
    assert digests(control="B") == [digest(3), digest(2)]
    assert digests(control="missing") == []
    assert digests(since=T0 + timedelta(hours=2)) == [digest(4), digest(3)]
    assert digests(kind="snapshot") == [digest(2)]
    assert digests(run_id="run-2") == [digest(3)]
    assert digests(control="B", run_id="run-1") == [digest(2)]
    assert digests(control="A", since=T0 + timedelta(minutes=1)) == [digest(2)]


def test_newest_first_and_limit(index: EvidenceIndex) -> None:
    times = [T0 + timedelta(minutes=m) for m in (5, 1, 9, 3)]
    index.add_records([record(n, at=at) for n, at in enumerate(times)])
    assert [row.recorded_at for row in index.records()] == sorted(times, reverse=True)
    assert [row.digest for row in index.records(limit=2)] == [digest(2), digest(0)]
    assert index.records(limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        index.records(limit=-1)


def test_same_instant_falls_back_to_ledger_order(index: EvidenceIndex) -> None:
    index.add_records([record(n) for n in (3, 7, 5)])
    assert [row.ledger_seq for row in index.records()] == [7, 5, 3]


def test_find_by_digest_prefix(index: EvidenceIndex) -> None:
    rows = [record(n) for n in range(40)]
    index.add_records(rows)
    target = rows[17].digest
    assert [row.digest for row in index.find(target[:12].upper())] == [target]
    sharing = sorted(row.digest for row in rows if row.digest[0] == target[0])
    assert [row.digest for row in index.find(target[0])] == sharing
    assert index.find("0" * 64) == []
    with pytest.raises(ValueError, match="hex"):
        index.find("zz%")
    with pytest.raises(ValueError, match="hex"):
        index.find("")


def test_runs_start_and_finish(index: EvidenceIndex) -> None:
    index.start_run(RunRow("run-1", "collect", T0, scope={"accounts": ["111"]}))
    index.start_run(RunRow("run-2", "evaluate", T0 + timedelta(minutes=5)))
    assert [run.run_id for run in index.runs()] == ["run-2", "run-1"]
    assert [run.run_id for run in index.runs(limit=1)] == ["run-2"]
    assert index.runs()[1] == RunRow("run-1", "collect", T0, scope={"accounts": ["111"]})

    end = T0 + timedelta(minutes=2)
    index.finish_run("run-1", "partial", end, {"resources": 12}, [{"source": "aws", "error": "denied"}])
    finished = index.runs()[1]
    assert (finished.status, finished.finished_at) == ("partial", end)
    assert finished.population == {"resources": 12}
    assert finished.failures == [{"source": "aws", "error": "denied"}]
    assert finished.scope == {"accounts": ["111"]}


def test_run_mistakes_are_refused(index: EvidenceIndex) -> None:
    index.start_run(RunRow("run-1", "gate", T0))
    with pytest.raises(ValueError, match="already in the index"):
        index.start_run(RunRow("run-1", "gate", T0))
    with pytest.raises(LookupError, match="run-9"):
        index.finish_run("run-9", "complete", T0, {}, [])
    with pytest.raises(ValueError, match="status"):
        index.finish_run("run-1", "running", T0, {}, [])
    index.finish_run("run-1", "complete", T0, {}, [])
    with pytest.raises(ValueError, match="already finished"):
        index.finish_run("run-1", "failed", T0, {}, [])
    with pytest.raises(ValueError, match="kind"):
        RunRow("run-2", "deploy", T0)


def test_checkpoints_last(index: EvidenceIndex) -> None:
    assert index.last_checkpoint() is None
    checkpoints = [
        CheckpointRow(size, digest(size + 100), digest(size), f"cp/{size}", T0) for size in (4, 10, 7)
    ]
    for checkpoint in checkpoints:
        index.add_checkpoint(checkpoint)
    assert index.last_checkpoint() == checkpoints[1]
    index.add_checkpoint(checkpoints[1])
    with pytest.raises(ValueError, match="ledger size 10"):
        index.add_checkpoint(CheckpointRow(10, digest(1), digest(99), "cp/other", T0))


def test_reopening_keeps_data_and_skips_migrations(
    db_url: str, raw: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="alembic")
    first = EvidenceIndex(db_url)
    assert any("Running upgrade" in message for message in caplog.messages)
    first.add_records([record(1)])
    first.close()
    caplog.clear()

    second = EvidenceIndex(db_url)
    assert not any("Running upgrade" in message for message in caplog.messages)
    assert [row.digest for row in second.records()] == [digest(1)]
    assert versions(raw) == ["0001"]
    second.close()


def test_datetimes_round_trip_as_utc(index: EvidenceIndex) -> None:
    local = datetime(2025, 3, 1, 14, 30, 15, 123456, tzinfo=CEST)
    row = record(1, at=local)
    row.retain_until = local + timedelta(days=365)
    index.add_records([row])
    stored = index.get(digest(1))
    assert stored is not None
    assert stored.recorded_at == local
    assert stored.recorded_at.tzinfo is UTC
    assert stored.recorded_at.hour == 12
    assert stored.retain_until is not None and stored.retain_until.tzinfo is UTC
    assert index.records(since=local) != []
    assert index.records(since=local + timedelta(microseconds=1)) == []

    index.start_run(RunRow("run-1", "collect", local))
    index.finish_run("run-1", "complete", local + timedelta(seconds=1), {}, [])
    (run,) = index.runs()
    assert run.started_at == local and run.started_at.tzinfo is UTC
    assert run.finished_at is not None and run.finished_at.tzinfo is UTC


def test_naive_datetimes_are_refused(index: EvidenceIndex) -> None:
    naive = datetime(2025, 3, 1, 12, 0)
    with pytest.raises(ValueError, match="naive"):
        record(1, at=naive)
    with pytest.raises(ValueError, match="naive"):
        index.records(since=naive)
    with pytest.raises(ValueError, match="naive"):
        CheckpointRow(1, digest(1), digest(2), "cp/1", naive)


def test_alembic_leaves_logging_alone(db_url: str) -> None:
    app_logger = logging.getLogger("assay.test.app")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    EvidenceIndex(db_url).close()
    assert not app_logger.disabled
    assert (root.handlers, root.level) == (handlers, level)


def test_sqlite_creates_parent_dirs_and_supports_memory(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "evidence.db"
    EvidenceIndex(f"sqlite:///{path}").close()
    assert path.is_file()
    memory = EvidenceIndex("sqlite://")
    memory.add_records([record(1)])
    assert memory.has(digest(1))
    memory.close()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="'mysql' is not supported"):
        EvidenceIndex("mysql://user@localhost/db")
