"""A moto server in its own process, reached over real HTTP, for every evidence test that needs AWS.

``moto_endpoint`` is the server's URL; ``moto_client(service, **kwargs)`` builds a boto3 client for it with
fake credentials; ``s3_client`` and ``kms_client`` are ready-made clients; ``locked_bucket`` is a fresh
bucket with Object Lock enabled. Buckets live until the session ends, so tests use unique names.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from assay.standins.process import StandInError, start_moto
from evidence_store.backends import ensure_bucket

REGION = "us-east-1"
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

ClientFactory = Callable[..., Any]


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL (http://127.0.0.1:PORT) of a moto server process, stopped after the session."""
    try:
        server = start_moto(tmp_path_factory.mktemp("moto") / "server.log")
    except StandInError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def moto_client(moto_endpoint: str) -> ClientFactory:
    """``moto_client("s3", config=...)``: a boto3 client for the moto server with fake credentials."""

    def make(service: str, **kwargs: Any) -> Any:
        options: dict[str, Any] = {
            "endpoint_url": moto_endpoint,
            "region_name": REGION,
            "config": Config(retries={"mode": "standard", "max_attempts": 2}),
            **FAKE_CREDENTIALS,
        }
        options.update(kwargs)
        return boto3.client(service, **options)

    return make


@pytest.fixture(scope="session")
def s3_client(moto_client: ClientFactory) -> Any:
    return moto_client("s3")


@pytest.fixture(scope="session")
def kms_client(moto_client: ClientFactory) -> Any:
    return moto_client("kms")


@pytest.fixture
def locked_bucket(s3_client: Any) -> str:
    """A new bucket with Object Lock (and so versioning) enabled and no default retention."""
    name = f"evidence-{uuid.uuid4().hex[:16]}"
    ensure_bucket(s3_client, name, object_lock=True)
    return name


PG_ADMIN_URL = os.environ.get("ASSAY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[URL]:
    """A database of its own for this test session, dropped at the end."""
    admin_url = make_url(PG_ADMIN_URL)
    name = f"assay_test_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {admin_url} ({exc.orig}); "
            "start it with `make services` or point ASSAY_TEST_PG_URL at a server",
            pytrace=False,
        )
    yield admin_url.set(database=name)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
