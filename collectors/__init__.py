"""OBSERVE: sources (Terraform, manifests, cloud APIs) become ResourceSnapshots. Collectors never judge."""

from collectors.schema import SNAPSHOT_TYPES, SnapshotType
from collectors.snapshot import (
    ResourceSnapshot,
    SnapshotError,
    SourceLocation,
    make_snapshot,
    sha256_json,
)
from collectors.unread import Unread

__all__ = [
    "SNAPSHOT_TYPES",
    "ResourceSnapshot",
    "SnapshotError",
    "SnapshotType",
    "SourceLocation",
    "Unread",
    "make_snapshot",
    "sha256_json",
]
