"""The storage contract every evidence backend honours, its errors, and URL dispatch.

A backend is a flat namespace of immutable objects: a key is written once and never replaced. Writing the
same bytes again is a no-op that reports ``False``; writing different bytes under an existing key raises
:class:`ConflictingObject`. Keys are relative POSIX paths such as ``records/sha256/<hex>.json``.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import unquote

if TYPE_CHECKING:
    from .local import LocalBackend
    from .s3 import S3Backend

_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class BackendError(Exception):
    """A storage operation failed; the message names the object and the cause."""


class MissingObject(BackendError):
    """The requested key holds no object."""


class ConflictingObject(BackendError):
    """A different object already exists under the key being written."""


@runtime_checkable
class Backend(Protocol):
    url: str

    def put(self, key: str, data: bytes, *, retain_until: datetime | None = None) -> bool: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> list[str]: ...

    def flush(self) -> None: ...

    def delete(self, key: str) -> None: ...


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe relative key, else raise ValueError.

    Segments must be non-empty and must not start with a dot: that rules out ``..`` escapes and keeps the
    dot-prefixed names the local backend uses for its temporary files out of the key space.
    """
    if not key or key.startswith("/") or "\\" in key or "\x00" in key:
        raise ValueError(f"invalid object key {key!r}: expected a relative path like 'records/sha256/<hex>'")
    for segment in key.split("/"):
        if not segment or segment.startswith("."):
            raise ValueError(f"invalid object key {key!r}: segment {segment!r} is empty or starts with '.'")
    return key


def check_prefix(prefix: str) -> str:
    """Return a listing prefix (empty, a directory ending in '/', or a partial key) if it is safe."""
    stripped = prefix.rstrip("/")
    if stripped:
        check_key(stripped)
    return prefix


def check_retain_until(retain_until: datetime | None) -> None:
    """Reject a naive retention date: it names no instant."""
    if retain_until is not None and retain_until.utcoffset() is None:
        raise ValueError(f"retain_until {retain_until.isoformat()} has no time zone; expected an aware one")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def conflict(where: str, stored_sha256: str, offered: bytes) -> ConflictingObject:
    """The error for a write that found a different object already stored at ``where``."""
    return ConflictingObject(
        f"{where}: a different object is already stored there (sha256 {stored_sha256}); "
        f"refusing to replace it with {len(offered)} bytes of sha256 {sha256_hex(offered)}"
    )


def open_backend(
    url: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    kms_key_id: str | None = None,
    s3_client: Any = None,
) -> Backend:
    """Open the backend a store URL names.

    Accepted: ``file://<relative or absolute path>``, a plain path, and ``s3://<bucket>[/<prefix>]``.
    ``endpoint_url``, ``region`` and ``s3_client`` only matter for S3. A KMS key with a local store is an
    error, since the local backend cannot encrypt with it.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _local(url, url, kms_key_id)
    if scheme == "file":
        return _local(url, unquote(rest), kms_key_id)
    if scheme == "s3":
        return _s3(
            url, rest, endpoint_url=endpoint_url, region=region, kms_key_id=kms_key_id, client=s3_client
        )
    raise BackendError(
        f"unsupported evidence store URL {url!r}: expected file://<path>, a plain path or s3://<bucket>/<prefix>"
    )


def _local(url: str, path: str, kms_key_id: str | None) -> LocalBackend:
    from .local import LocalBackend

    if not path:
        raise BackendError(f"evidence store URL {url!r} names no directory")
    if kms_key_id:
        raise BackendError(f"evidence store URL {url!r} is local: it cannot use KMS key {kms_key_id!r}")
    return LocalBackend(Path(path).expanduser())


def _s3(
    url: str,
    rest: str,
    *,
    endpoint_url: str | None,
    region: str | None,
    kms_key_id: str | None,
    client: Any,
) -> S3Backend:
    from .s3 import S3Backend, make_s3_client

    bucket, _, prefix = rest.partition("/")
    if not _BUCKET_NAME.match(bucket):
        raise BackendError(f"evidence store URL {url!r} does not name a valid S3 bucket (got {bucket!r})")
    try:
        check_prefix(prefix)
    except ValueError as exc:
        raise BackendError(f"evidence store URL {url!r} has an unusable prefix: {exc}") from exc
    if client is None:
        client = make_s3_client(endpoint_url=endpoint_url, region=region)
    return S3Backend(bucket, prefix, client, kms_key_id=kms_key_id)
