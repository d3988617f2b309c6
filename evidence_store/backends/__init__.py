"""Where evidence objects live: a local directory or an S3 bucket under Object Lock."""

from .base import Backend, BackendError, ConflictingObject, MissingObject, open_backend
from .local import LocalBackend
from .s3 import S3Backend, ensure_bucket

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
