"""The snapshot types: one attribute allow-list per provider-neutral type name."""

from collectors.schema import aws, azure, k8s
from collectors.schema.base import Attrs, SnapshotType

SNAPSHOT_TYPES: dict[str, SnapshotType] = {**aws.TYPES, **azure.TYPES, **k8s.TYPES}

__all__ = ["SNAPSHOT_TYPES", "Attrs", "SnapshotType"]
