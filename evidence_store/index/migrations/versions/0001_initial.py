"""Evidence index tables: records, record_controls, runs, checkpoints.

Revision ID: 0001
Revises:
Create Date: 2025-06-01 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "records",
        _text("digest"),
        _text("key"),
        _text("kind"),
        _text("predicate_type"),
        _text("run_id", nullable=True),
        _text("policy_id", nullable=True),
        _text("resource_id", nullable=True),
        _text("status", nullable=True),
        _timestamp("recorded_at"),
        _text("key_id"),
        sa.Column("ledger_seq", sa.BigInteger(), nullable=False),
        _timestamp("retain_until", nullable=True),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_records")),
    )
    op.create_index(op.f("ix_records_kind"), "records", ["kind"])
    op.create_index(op.f("ix_records_run_id"), "records", ["run_id"])
    op.create_index(op.f("ix_records_recorded_at"), "records", ["recorded_at"])
    op.create_table(
        "record_controls",
        _text("digest"),
        _text("control_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest"],
            ["records.digest"],
            name=op.f("fk_record_controls_digest_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest", "control_id", name=op.f("pk_record_controls")),
    )
    op.create_index(op.f("ix_record_controls_control_id"), "record_controls", ["control_id"])
    op.create_table(
        "runs",
        _text("run_id"),
        _text("kind"),
        _timestamp("started_at"),
        _timestamp("finished_at", nullable=True),
        _text("status"),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("population", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_runs")),
    )
    op.create_index(op.f("ix_runs_started_at"), "runs", ["started_at"])
    op.create_table(
        "checkpoints",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        _text("head"),
        _text("digest"),
        _text("key"),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_checkpoints")),
        sa.UniqueConstraint("digest", name=op.f("uq_checkpoints_digest")),
    )


def downgrade() -> None:
    op.drop_table("checkpoints")
    op.drop_index(op.f("ix_runs_started_at"), table_name="runs")
    op.drop_table("runs")
    op.drop_index(op.f("ix_record_controls_control_id"), table_name="record_controls")
    op.drop_table("record_controls")
    op.drop_index(op.f("ix_records_recorded_at"), table_name="records")
    op.drop_index(op.f("ix_records_run_id"), table_name="records")
    op.drop_index(op.f("ix_records_kind"), table_name="records")
    op.drop_table("records")
