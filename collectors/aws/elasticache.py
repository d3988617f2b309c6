"""ElastiCache replication groups (Redis OSS / Valkey): encryption, AUTH, failover, snapshots, tags."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import compact, tag_map

GROUP = "aws.elasticache.replication_group"
_ON = ("enabled", "enabling")


def group_attributes(group: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            "replication_group_id": group["ReplicationGroupId"],
            "engine": group.get("Engine"),
            "at_rest_encryption_enabled": bool(group.get("AtRestEncryptionEnabled")),
            "transit_encryption_enabled": bool(group.get("TransitEncryptionEnabled")),
            # An AUTH token or RBAC user groups; the token itself is never readable.
            "auth_token_enabled": bool(group.get("AuthTokenEnabled") or group.get("UserGroupIds")),
            "kms_key_id": group.get("KmsKeyId"),
            "automatic_failover_enabled": group.get("AutomaticFailover") in _ON,
            "multi_az_enabled": group.get("MultiAZ") in _ON,
            "snapshot_retention_limit": group.get("SnapshotRetentionLimit"),
            "tags": tags,
        }
    )


def groups(api: Api) -> None:
    for group in api.items("describe_replication_groups", "ReplicationGroups"):
        arn = str(group["ARN"])
        with api.isolated(arn):
            tags = tag_map(api.call("list_tags_for_resource", ResourceName=arn).get("TagList"))
            api.emit(
                GROUP,
                id=arn,
                name=group["ReplicationGroupId"],
                attributes=group_attributes(group, tags),
                raw={"group": group, "tags": tags},
            )


STEPS = (
    Step(
        "elasticache",
        (GROUP,),
        groups,
        ("elasticache:DescribeReplicationGroups", "elasticache:ListTagsForResource"),
    ),
)
