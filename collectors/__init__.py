"""OBSERVE: sources (Terraform, manifests, cloud APIs) become ResourceSnapshots. Collectors never judge."""

from collectors.schema import SNAPSHOT_TYPES, SnapshotType
from collectors.snapshot import (
    Alternative,
    ResourceSnapshot,
    SnapshotError,
    SourceLocation,
    UnknownAttribute,
    make_snapshot,
    sha256_json,
)
from collectors.unread import Unread

__all__ = [
    "SNAPSHOT_TYPES",
    "Alternative",
    "ResourceSnapshot",
    "SnapshotError",
    "SnapshotType",
    "SourceLocation",
    "UnknownAttribute",
    "Unread",
    "make_snapshot",
    "sha256_json",
]
