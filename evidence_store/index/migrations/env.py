"""Alembic environment of the evidence index.

EvidenceIndex passes its open connection in ``config.attributes["connection"]``; without one (offline
SQL generation, or a developer pointing Alembic at a database) the ``sqlalchemy.url`` option is used.
Logging is deliberately left alone: no ``fileConfig`` here, the application owns its log handlers.
"""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from evidence_store.index.models import Base

config = context.config


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("evidence index migrations: no connection given and sqlalchemy.url is not set")
    with create_engine(url, poolclass=pool.NullPool).connect() as own_connection:
        _migrate(own_connection)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
