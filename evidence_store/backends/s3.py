"""Amazon S3 backend: write-once objects under Object Lock, encrypted with SSE-KMS.

Every put is conditional (``If-None-Match: *``), so S3 itself refuses to put a second version on a key that
already holds an object. A 412 answer means "already there": the stored object's SHA-256 decides between
an idempotent re-put and a conflict. Each put sends its own SHA-256 (``x-amz-checksum-sha256``), which S3
checks against the bytes it received and keeps with the object.
"""

from __future__ import annotations

import base64
import hashlib
import time
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .base import BackendError, MissingObject, check_key, check_prefix, check_retain_until, conflict

DEFAULT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=20)
CONFLICT_ATTEMPTS = 5  # tries when S3 reports a concurrent conditional write (409)
CONFLICT_DELAY = 0.05  # seconds, multiplied by the attempt number
_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})


def make_s3_client(*, endpoint_url: str | None = None, region: str | None = None) -> Any:
    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=DEFAULT_CONFIG)


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def error_code(exc: ClientError | BotoCoreError) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "Unknown"))
    return type(exc).__name__


def describe(exc: ClientError | BotoCoreError) -> str:
    """``<message> (<code>)`` for an S3 failure, e.g. ``Access Denied (AccessDenied)``."""
    if isinstance(exc, ClientError):
        message = exc.response.get("Error", {}).get("Message") or str(exc)
    else:
        message = str(exc)
    return f"{message} ({error_code(exc)})"


class S3Backend:
    def __init__(self, bucket: str, prefix: str, client: Any, kms_key_id: str | None = None) -> None:
        stripped = check_prefix(prefix.strip("/"))
        self.bucket = bucket
        self.prefix = f"{stripped}/" if stripped else ""
        self.url = f"s3://{bucket}/{stripped}" if stripped else f"s3://{bucket}"
        self.kms_key_id = kms_key_id
        self._client = client

    def put(self, key: str, data: bytes, *, retain_until: datetime | None = None) -> bool:
        check_retain_until(retain_until)
        if retain_until is not None and retain_until <= datetime.now(UTC):
            # S3 answers 400 InvalidArgument; moto would accept it, so check before sending
            raise BackendError(f"{self._where(key)}: retain-until {retain_until.isoformat()} is already past")
        request = self._put_request(key, data, retain_until)
        attempt = 1
        while True:
            try:
                self._client.put_object(**request)
                return True
            except ClientError as exc:
                code = error_code(exc)
                if code == "PreconditionFailed":
                    return self._matches_stored(key, data)
                if code != "ConditionalRequestConflict" or attempt >= CONFLICT_ATTEMPTS:
                    what = f"could not write after {attempt} attempts" if attempt > 1 else "could not write"
                    raise self._error(key, what, exc) from exc
            except BotoCoreError as exc:
                raise self._error(key, "could not write", exc) from exc
            time.sleep(CONFLICT_DELAY * attempt)
            attempt += 1

    def get(self, key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self._key(key), ChecksumMode="ENABLED")
            body: bytes = response["Body"].read()  # botocore checks the stored SHA-256 while reading
        except ClientError as exc:
            if error_code(exc) in _NOT_FOUND:
                raise MissingObject(f"{self._where(key)}: no such object") from exc
            raise self._error(key, "could not read", exc) from exc
        except BotoCoreError as exc:
            raise self._error(key, "could not read", exc) from exc
        return body

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if error_code(exc) in _NOT_FOUND:
                return False
            raise self._error(key, "could not check", exc) from exc
        except BotoCoreError as exc:
            raise self._error(key, "could not check", exc) from exc
        return True

    def list(self, prefix: str) -> list[str]:
        check_prefix(prefix)
        keys: list[str] = []
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            for page in pages:
                keys.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise BackendError(f"{self._where(prefix)}: could not list ({describe(exc)})") from exc
        return sorted(keys)

    def flush(self) -> None:
        """Nothing to do: S3 acknowledges a put only once the object is stored durably."""

    def delete(self, key: str) -> None:
        """Remove every version of ``key``; S3 refuses (BackendError) while Object Lock retains one."""
        versions = self._versions(key)
        if not versions:
            raise MissingObject(f"{self._where(key)}: no such object")
        for version_id in versions:
            try:
                self._client.delete_object(Bucket=self.bucket, Key=self._key(key), VersionId=version_id)
            except (ClientError, BotoCoreError) as exc:
                raise self._error(key, f"could not delete version {version_id}", exc) from exc

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _where(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{key}"

    def _error(self, key: str, what: str, exc: ClientError | BotoCoreError) -> BackendError:
        return BackendError(f"{self._where(key)}: {what}: {describe(exc)}")

    def _put_request(self, key: str, data: bytes, retain_until: datetime | None) -> dict[str, Any]:
        request: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self._key(key),
            "Body": data,
            "IfNoneMatch": "*",
            # S3 accepts the value alone; naming the algorithm as well costs nothing and is what
            # moto needs to keep the checksum and to accept an Object Lock put
            "ChecksumAlgorithm": "SHA256",
            "ChecksumSHA256": sha256_b64(data),
            "ServerSideEncryption": "aws:kms",
        }
        if self.kms_key_id:
            request["SSEKMSKeyId"] = self.kms_key_id
        if retain_until is not None:
            request["ObjectLockMode"] = "COMPLIANCE"
            request["ObjectLockRetainUntilDate"] = retain_until
        return request

    def _matches_stored(self, key: str, data: bytes) -> bool:
        """After a 412: False if the stored object has our bytes, ConflictingObject otherwise."""
        stored = self._stored_sha256(key)
        if stored is None:  # stored without a whole-object SHA-256: hash the bytes themselves
            stored = sha256_b64(self.get(key))
        if stored != sha256_b64(data):
            raise conflict(self._where(key), base64.b64decode(stored).hex(), data)
        return False

    def _stored_sha256(self, key: str) -> str | None:
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=self._key(key), ChecksumMode="ENABLED")
        except (ClientError, BotoCoreError) as exc:
            raise self._error(key, "could not read the stored object's checksum", exc) from exc
        value = head.get("ChecksumSHA256")
        # a multipart upload's checksum is "<checksum of part checksums>-<parts>", not the object's hash
        return value if isinstance(value, str) and "-" not in value else None

    def _versions(self, key: str) -> tuple[str, ...]:
        """Every version id and delete-marker id stored under exactly ``key``."""
        full = self._key(key)
        paginator = self._client.get_paginator("list_object_versions")
        try:
            return tuple(
                item["VersionId"]
                for page in paginator.paginate(Bucket=self.bucket, Prefix=full)
                for item in (*page.get("Versions", []), *page.get("DeleteMarkers", []))
                if item["Key"] == full
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._error(key, "could not list versions", exc) from exc


def ensure_bucket(
    client: Any, bucket: str, *, object_lock: bool = True, retention_days: int | None = None
) -> None:
    """Create ``bucket`` if it does not exist; with ``object_lock`` check Object Lock is on.

    Object Lock can only be switched on when a bucket is created (it turns versioning on too), so an
    existing bucket without it is reported, not silently used. ``retention_days`` sets a default COMPLIANCE
    retention for objects put without their own retain-until date.
    """
    if retention_days is not None and (not object_lock or retention_days < 1):
        raise ValueError(f"retention_days={retention_days} needs object_lock=True and at least one day")
    if not _bucket_exists(client, bucket):
        _create_bucket(client, bucket, object_lock=object_lock)
    if object_lock:
        _ensure_lock(client, bucket, retention_days)


def _bucket_error(bucket: str, what: str, exc: ClientError | BotoCoreError) -> BackendError:
    return BackendError(f"s3://{bucket}: {what}: {describe(exc)}")


def _bucket_exists(client: Any, bucket: str) -> bool:
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if error_code(exc) in _NOT_FOUND | {"NoSuchBucket"}:
            return False
        raise _bucket_error(bucket, "could not check the bucket", exc) from exc
    except BotoCoreError as exc:
        raise _bucket_error(bucket, "could not check the bucket", exc) from exc
    return True


def _create_bucket(client: Any, bucket: str, *, object_lock: bool) -> None:
    request: dict[str, Any] = {"Bucket": bucket}
    region = client.meta.region_name
    if region and region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_lock:
        request["ObjectLockEnabledForBucket"] = True
    try:
        client.create_bucket(**request)
    except ClientError as exc:
        # created by a concurrent caller since we looked: _ensure_lock checks what it got
        if error_code(exc) != "BucketAlreadyOwnedByYou":
            raise _bucket_error(bucket, "could not create the bucket", exc) from exc
    except BotoCoreError as exc:
        raise _bucket_error(bucket, "could not create the bucket", exc) from exc


def _ensure_lock(client: Any, bucket: str, retention_days: int | None) -> None:
    try:
        config = client.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
        if config.get("ObjectLockEnabled") != "Enabled":
            raise BackendError(f"s3://{bucket}: Object Lock is not enabled; expected it on the bucket")
        if retention_days is not None and not _has_default_retention(config, retention_days):
            rule = {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": retention_days}}
            client.put_object_lock_configuration(
                Bucket=bucket, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": rule}
            )
    except ClientError as exc:
        if error_code(exc) == "ObjectLockConfigurationNotFoundError":
            raise BackendError(
                f"s3://{bucket}: the bucket exists without Object Lock; expected a bucket created with it"
            ) from exc
        raise _bucket_error(bucket, "could not configure Object Lock", exc) from exc
    except BotoCoreError as exc:
        raise _bucket_error(bucket, "could not configure Object Lock", exc) from exc


def _has_default_retention(config: dict[str, Any], days: int) -> bool:
    default = config.get("Rule", {}).get("DefaultRetention", {})
    return default.get("Mode") == "COMPLIANCE" and default.get("Days") == days and not default.get("Years")
