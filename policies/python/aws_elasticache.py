"""ElastiCache (Redis / Valkey) replication groups."""

from __future__ import annotations

from collectors import ResourceSnapshot
from policies.model import Context, Verdict
from policies.python._common import judge
from policies.sdk import attribute_policy, policy

elasticache_at_rest_encryption = attribute_policy(
    "aws.elasticache.at_rest_encryption",
    "aws.elasticache.replication_group",
    "at_rest_encryption_enabled",
    True,
    title="ElastiCache encrypts data at rest",
    severity="high",
)


@policy(
    "aws.elasticache.transit_encryption_auth",
    resource_types=["aws.elasticache.replication_group"],
    title="ElastiCache requires TLS and authentication",
    severity="high",
)
def transit_encryption_auth(group: ResourceSnapshot, ctx: Context) -> Verdict:
    """Clients must connect over TLS and authenticate (AUTH token or RBAC user group)."""
    problems = []
    if not group.attributes.get("transit_encryption_enabled"):
        problems.append("in-transit encryption is off")
    if not group.attributes.get("auth_token_enabled"):
        problems.append("no AUTH token or user group is required")
    return judge(problems, "TLS and authentication are required", "TLS in transit and AUTH/RBAC")


@policy(
    "aws.elasticache.failover_backup",
    resource_types=["aws.elasticache.replication_group"],
    title="ElastiCache fails over across zones and keeps snapshots",
    severity="medium",
)
def failover_backup(group: ResourceSnapshot, ctx: Context) -> Verdict:
    """Automatic failover and Multi-AZ keep the cache available; daily snapshots allow recovery."""
    attrs = group.attributes
    problems = []
    if not attrs.get("automatic_failover_enabled"):
        problems.append("automatic failover is off")
    if not attrs.get("multi_az_enabled"):
        problems.append("Multi-AZ is off")
    retention = int(attrs.get("snapshot_retention_limit") or 0)
    if retention < 1:
        problems.append("no automatic snapshots are kept")
    return judge(
        problems,
        f"failover across zones and {retention} day(s) of snapshots",
        "automatic failover, Multi-AZ and a snapshot retention of at least 1 day",
    )
