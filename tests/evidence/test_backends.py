"""Storage backends: write-once semantics, atomicity and durability locally; the same contract on S3.

S3 tests talk HTTP to the moto server from conftest.py. They only assert behaviour real S3 has too.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import re
import stat
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber

from assay.standins.process import free_port
from evidence_store.backends import (
    Backend,
    BackendError,
    ConflictingObject,
    LocalBackend,
    MissingObject,
    S3Backend,
    ensure_bucket,
    open_backend,
)
from tests.conftest import FAKE_CREDENTIALS, REGION

KEY = "records/sha256/abc.json"
DATA = b'{"payload":"one"}'
OTHER = b'{"payload":"two"}'


def in_a_day() -> datetime:
    return datetime.now(UTC) + timedelta(days=1)


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# ---- local backend ----------------------------------------------------------------------------------


def test_local_put_get_exists_list(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path)
    assert isinstance(backend, Backend)
    assert backend.put(KEY, DATA) is True
    assert backend.put("records/sha256/0ab.json", OTHER) is True
    assert backend.put("ledger/000000000001-000000000002.jsonl", b"{}\n") is True
    assert backend.get(KEY) == DATA
    assert backend.exists(KEY) and not backend.exists("records/sha256/none.json")
    assert backend.list("records/") == ["records/sha256/0ab.json", KEY]
    assert backend.list("records/sha256/a") == [KEY]
    assert backend.list("checkpoints/") == []
    assert len(backend.list("")) == 3
    assert backend.url == tmp_path.as_uri()
    assert stat.S_IMODE((tmp_path / KEY).stat().st_mode) == 0o444  # read-only once written
    (tmp_path / "records" / "sha256" / ".abc.json.x1.tmp").write_bytes(b"partial")
    assert backend.list("records/sha256/") == ["records/sha256/0ab.json", KEY]  # temp files are not keys


def test_local_reput_is_idempotent_and_different_bytes_conflict(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path)
    backend.put(KEY, DATA)
    assert backend.put(KEY, DATA) is False
    with pytest.raises(ConflictingObject, match=f"{KEY}.*{hashlib.sha256(DATA).hexdigest()}"):
        backend.put(KEY, OTHER)
    assert backend.get(KEY) == DATA


@pytest.mark.parametrize("failing", ["fsync", "fchmod", "link"])
def test_local_put_failing_midway_leaves_no_object_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def broken(*args: Any) -> None:
        raise OSError(errno.EIO, "simulated I/O error")

    monkeypatch.setattr(os, failing, broken)
    backend = LocalBackend(tmp_path, fsync_each=True)
    with pytest.raises(BackendError, match=f"{KEY}: could not write.*EIO"):
        backend.put(KEY, DATA)
    assert leftovers(tmp_path / "records" / "sha256") == []
    assert not backend.exists(KEY)


def test_local_without_hard_links_publishes_with_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str, dst: str) -> None:
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(os, "link", no_links)
    backend = LocalBackend(tmp_path)
    assert backend.put(KEY, DATA) is True
    assert backend.put(KEY, DATA) is False
    assert leftovers(tmp_path / "records" / "sha256") == ["abc.json"]

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(errno.EIO, "simulated I/O error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(BackendError, match="could not write"):
        backend.put("records/sha256/def.json", OTHER)
    assert leftovers(tmp_path / "records" / "sha256") == ["abc.json"]


def test_local_losing_a_publish_race_compares_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer publishes between our existence check and our link: its object is kept."""
    backend = LocalBackend(tmp_path)
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_bytes(OTHER)  # the other writer wins
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(ConflictingObject):
        backend.put(KEY, DATA)
    assert backend.get(KEY) == OTHER
    assert leftovers(tmp_path / "records" / "sha256") == ["abc.json"]


def _record_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the inode of every descriptor passed to os.fsync (then really sync it)."""
    inodes: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        inodes.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return inodes


def test_local_flush_syncs_new_files_and_the_directories_that_name_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced = _record_fsyncs(monkeypatch)
    backend = LocalBackend(tmp_path / "store")
    backend.put(KEY, DATA)
    assert synced == []  # without fsync_each a put does not sync
    backend.flush()
    wanted = [tmp_path / "store" / KEY, *(tmp_path / "store" / KEY).parents[:4]]
    assert {p.stat().st_ino for p in wanted} <= set(synced)
    assert synced.index((tmp_path / "store" / KEY).stat().st_ino) == 0  # data before directory entries
    synced.clear()
    backend.flush()
    assert synced == []


def test_local_fsync_each_syncs_before_returning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced = _record_fsyncs(monkeypatch)
    backend = LocalBackend(tmp_path, fsync_each=True)
    backend.put(KEY, DATA)
    assert {(tmp_path / KEY).stat().st_ino, (tmp_path / KEY).parent.stat().st_ino} <= set(synced)
    synced.clear()
    backend.flush()
    assert synced == []


def test_local_missing_objects_and_delete(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path)
    with pytest.raises(MissingObject, match=KEY):
        backend.get(KEY)
    backend.put(KEY, DATA)
    backend.delete(KEY)
    assert not backend.exists(KEY)
    with pytest.raises(MissingObject, match=KEY):
        backend.delete(KEY)


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../outside", "records/../../x", "a//b", ".hidden", "a/.b.tmp"]
)
def test_unsafe_keys_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="invalid object key"):
        LocalBackend(tmp_path).put(key, DATA)


def test_local_refuses_naive_retention_dates_and_accepts_past_ones(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path)
    with pytest.raises(ValueError, match="no time zone"):
        backend.put(KEY, DATA, retain_until=datetime(2099, 1, 1))
    assert backend.put(KEY, DATA, retain_until=datetime(2000, 1, 1, tzinfo=UTC)) is True  # not enforced


# ---- S3 backend through the moto server -------------------------------------------------------------


def versions(client: Any, bucket: str, key: str) -> list[dict[str, Any]]:
    listing = client.list_object_versions(Bucket=bucket, Prefix=key)
    return [v for v in listing.get("Versions", []) if v["Key"] == key]


def test_s3_put_is_content_checked_locked_and_readable(s3_client: Any, locked_bucket: str) -> None:
    backend = S3Backend(locked_bucket, "team/evidence/", s3_client)
    assert isinstance(backend, Backend)
    until = in_a_day().replace(microsecond=0)
    assert backend.put(KEY, DATA, retain_until=until) is True
    head = s3_client.head_object(Bucket=locked_bucket, Key=f"team/evidence/{KEY}", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == sha256_b64(DATA)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] == until
    assert backend.get(KEY) == DATA
    assert backend.exists(KEY) and not backend.exists("records/sha256/none.json")
    assert backend.list("records/") == [KEY]
    assert backend.url == f"s3://{locked_bucket}/team/evidence"


def test_s3_reput_is_idempotent_and_conflicts_never_overwrite(s3_client: Any, locked_bucket: str) -> None:
    backend = S3Backend(locked_bucket, "", s3_client)
    backend.put(KEY, DATA, retain_until=in_a_day())
    assert backend.put(KEY, DATA, retain_until=in_a_day()) is False
    with pytest.raises(ConflictingObject, match=f"s3://{locked_bucket}/{KEY}"):
        backend.put(KEY, OTHER)
    assert len(versions(s3_client, locked_bucket, KEY)) == 1
    assert backend.get(KEY) == DATA


def test_s3_retained_object_cannot_be_deleted(s3_client: Any, locked_bucket: str) -> None:
    backend = S3Backend(locked_bucket, "", s3_client)
    backend.put(KEY, DATA, retain_until=in_a_day())
    (version,) = versions(s3_client, locked_bucket, KEY)
    with pytest.raises(ClientError) as denied:
        s3_client.delete_object(Bucket=locked_bucket, Key=KEY, VersionId=version["VersionId"])
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(BackendError, match=f"{KEY}: could not delete version.*AccessDenied"):
        backend.delete(KEY)
    assert backend.get(KEY) == DATA


def test_s3_delete_removes_every_version_of_an_unretained_object(s3_client: Any, locked_bucket: str) -> None:
    backend = S3Backend(locked_bucket, "", s3_client)
    backend.put(KEY, DATA)
    backend.put("records/sha256/abcd.json", OTHER)
    backend.delete(KEY)
    assert versions(s3_client, locked_bucket, KEY) == []
    assert backend.list("records/") == ["records/sha256/abcd.json"]
    with pytest.raises(MissingObject, match=KEY):
        backend.get(KEY)
    with pytest.raises(MissingObject, match=KEY):
        backend.delete(KEY)


def test_s3_objects_are_encrypted_with_the_requested_kms_key(
    s3_client: Any, kms_client: Any, locked_bucket: str
) -> None:
    key_arn = kms_client.create_key(Description="evidence")["KeyMetadata"]["Arn"]
    backend = S3Backend(locked_bucket, "", s3_client, kms_key_id=key_arn)
    backend.put(KEY, DATA)
    head = s3_client.head_object(Bucket=locked_bucket, Key=KEY)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == key_arn


def test_s3_unreachable_endpoint_fails_fast_naming_the_key() -> None:
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        region_name=REGION,
        config=Config(connect_timeout=1, read_timeout=1, retries={"mode": "standard", "max_attempts": 1}),
        **FAKE_CREDENTIALS,
    )
    backend = S3Backend("evidence-bucket", "p", client)
    started = time.monotonic()
    with pytest.raises(
        BackendError, match=f"s3://evidence-bucket/p/{KEY}: could not write.*EndpointConnectionError"
    ):
        backend.put(KEY, DATA)
    with pytest.raises(BackendError, match=f"{KEY}: could not read"):
        backend.get(KEY)
    with pytest.raises(BackendError, match=f"{KEY}: could not check"):
        backend.exists(KEY)
    assert time.monotonic() - started < 5


def _stubbed_backend() -> tuple[S3Backend, Stubber]:
    client = boto3.client("s3", region_name=REGION, **FAKE_CREDENTIALS)
    return S3Backend("evidence-bucket", "", client), Stubber(client)


def test_s3_refuses_unusable_retention_dates_before_sending() -> None:
    backend, stubber = _stubbed_backend()  # no stubbed responses: any request would fail the test
    with stubber, pytest.raises(ValueError, match="no time zone"):
        backend.put(KEY, DATA, retain_until=datetime(2099, 1, 1))
    past = datetime(2000, 1, 1, tzinfo=UTC)
    with stubber, pytest.raises(BackendError, match=f"{KEY}: retain-until 2000-01-01.* is already past"):
        backend.put(KEY, DATA, retain_until=past)


def test_s3_concurrent_write_conflict_is_retried() -> None:
    backend, stubber = _stubbed_backend()
    expected = {
        "Bucket": "evidence-bucket",
        "Key": KEY,
        "Body": ANY,
        "IfNoneMatch": "*",
        "ChecksumAlgorithm": "SHA256",
        "ChecksumSHA256": sha256_b64(DATA),
        "ServerSideEncryption": "aws:kms",
    }
    stubber.add_client_error("put_object", "ConditionalRequestConflict", http_status_code=409)
    stubber.add_response("put_object", {}, expected)
    with stubber:
        assert backend.put(KEY, DATA) is True
    stubber.assert_no_pending_responses()


def test_s3_persistent_write_conflict_gives_up() -> None:
    backend, stubber = _stubbed_backend()
    for _ in range(5):
        stubber.add_client_error("put_object", "ConditionalRequestConflict", http_status_code=409)
    with stubber, pytest.raises(BackendError, match=r"after 5 attempt.*ConditionalRequestConflict"):
        backend.put(KEY, DATA)


def test_ensure_bucket_sets_default_retention_and_is_idempotent(s3_client: Any) -> None:
    bucket = f"evidence-{uuid.uuid4().hex[:16]}"
    ensure_bucket(s3_client, bucket, retention_days=1)
    rule = s3_client.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]["Rule"]
    assert (rule["DefaultRetention"]["Mode"], rule["DefaultRetention"]["Days"]) == ("COMPLIANCE", 1)
    S3Backend(bucket, "", s3_client).put(KEY, DATA)  # no retain-until of its own: the default applies
    assert s3_client.head_object(Bucket=bucket, Key=KEY)["ObjectLockMode"] == "COMPLIANCE"
    ensure_bucket(s3_client, bucket, retention_days=1)  # an existing, non-empty, compliant bucket is fine


def test_ensure_bucket_refuses_an_existing_bucket_without_object_lock(s3_client: Any) -> None:
    bucket = f"evidence-{uuid.uuid4().hex[:16]}"
    s3_client.create_bucket(Bucket=bucket)
    with pytest.raises(BackendError, match=f"s3://{bucket}: .*without Object Lock"):
        ensure_bucket(s3_client, bucket)


# ---- open_backend -----------------------------------------------------------------------------------


def test_open_backend_local_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url, root in [
        ("file://rel/store", tmp_path / "rel" / "store"),
        (f"file://{tmp_path}/abs", tmp_path / "abs"),
        ((tmp_path / "with space").as_uri(), tmp_path / "with space"),
        ("plain/dir", tmp_path / "plain" / "dir"),
        (str(tmp_path / "bare"), tmp_path / "bare"),
    ]:
        backend = open_backend(url)
        assert isinstance(backend, LocalBackend), url
        assert backend.root == root, url
        assert backend.url == root.as_uri()


def test_open_backend_s3_urls(s3_client: Any) -> None:
    backend = open_backend("s3://evidence-bucket/some/prefix/", s3_client=s3_client, kms_key_id="alias/ev")
    assert isinstance(backend, S3Backend)
    assert (backend.bucket, backend.prefix) == ("evidence-bucket", "some/prefix/")
    assert backend.kms_key_id == "alias/ev"
    assert backend.url == "s3://evidence-bucket/some/prefix"
    bare = open_backend("s3://evidence-bucket", s3_client=s3_client)
    assert isinstance(bare, S3Backend)
    assert (bare.prefix, bare.url) == ("", "s3://evidence-bucket")


def test_open_backend_builds_its_own_s3_client(
    moto_endpoint: str, locked_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    backend = open_backend(f"s3://{locked_bucket}/p", endpoint_url=moto_endpoint, region=REGION)
    assert backend.put(KEY, DATA) is True
    assert backend.get(KEY) == DATA


@pytest.mark.parametrize(
    "url", ["gs://bucket/x", "s3:///no-bucket", "s3://Bad_Bucket/x", "s3://bucket/../x", "file://", ""]
)
def test_open_backend_refuses_bad_urls_naming_them(url: str) -> None:
    with pytest.raises(BackendError, match=re.escape(f"URL {url!r}")):
        open_backend(url)


def test_open_backend_refuses_a_kms_key_for_a_local_store(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="cannot use KMS key"):
        open_backend(str(tmp_path), kms_key_id="alias/evidence")
