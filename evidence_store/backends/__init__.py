"""Where evidence objects live: a local directory or an S3 bucket under Object Lock.

The S3 backend (and boto3, a fifth of a second to import) loads only when it is first used.
"""

from typing import Any

from .base import Backend, BackendError, ConflictingObject, MissingObject, open_backend
from .local import LocalBackend

__all__ = [
    "Backend",
    "BackendError",
    "ConflictingObject",
    "LocalBackend",
    "MissingObject",
    "S3Backend",
    "ensure_bucket",
    "open_backend",
]


def __getattr__(name: str) -> Any:
    if name in ("S3Backend", "ensure_bucket"):
        from . import s3

        return getattr(s3, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
