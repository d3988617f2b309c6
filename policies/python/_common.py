"""Helpers shared by the built-in Python policies (no PolicySpec here, so the registry finds no policy)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Verdict, failed, passed

# Data stores judged by the privacy policies (each carries a `tags` attribute).
DATA_STORE_TYPES = (
    "aws.s3.bucket",
    "aws.rds.cluster",
    "aws.elasticache.replication_group",
    "azure.storage.account",
    "azure.postgresql.flexible_server",
)

# Load balancer security policies that offer TLS 1.2 or later only.
TLS12_LB_POLICIES = (
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
)

PUBLIC_ACCESS_BLOCK_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def tags(snapshot: ResourceSnapshot) -> dict[str, str]:
    value = snapshot.attributes.get("tags") or {}
    return {str(k): str(v) for k, v in value.items()}


def tag(snapshot: ResourceSnapshot, key: str) -> str | None:
    """A tag's value with surrounding blanks removed; None when absent or blank."""
    value = tags(snapshot).get(key, "").strip()
    return value or None


def data_categories(snapshot: ResourceSnapshot) -> frozenset[str]:
    """The comma-separated `data_category` tag as a set of lower-case names."""
    raw = tag(snapshot, "data_category") or ""
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def holds_personal_data(snapshot: ResourceSnapshot) -> bool:
    return "personal" in data_categories(snapshot)


def display_name(snapshot: ResourceSnapshot) -> str:
    return str(snapshot.attributes.get("name") or snapshot.name or snapshot.id)


def is_internet(cidr: str | None) -> bool:
    """True for a range that spans the whole address space (0.0.0.0/0, ::/0)."""
    if not cidr:
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def rule_covers_tcp_port(rule: Mapping[str, Any], port: int) -> bool:
    """Whether a security group rule admits TCP traffic to `port` ("-1" is every protocol and port)."""
    protocol = str(rule.get("protocol", "-1")).lower()
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("tcp", "6"):
        return False
    low = rule.get("from_port")
    high = rule.get("to_port")
    if low is None and high is None:
        return True
    low = 0 if low is None else low
    high = 65535 if high is None else high
    return bool(low <= port <= high)


def parse_time(value: str) -> datetime:
    """An ISO-8601 timestamp; one without an offset is taken as UTC. Raises ValueError when malformed."""
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def age_days(value: str, now: datetime) -> float:
    """Days between the timestamp `value` and `now`."""
    current = now if now.tzinfo else now.replace(tzinfo=UTC)
    return (current - parse_time(value)).total_seconds() / 86400


def as_list(value: Any) -> list[Any]:
    """A policy-document field that may be one value or a list of them, always as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def statements(document: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The statements of an IAM or resource policy document (Statement may be one object or a list)."""
    if not document:
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, Mapping)]


def judge(problems: Iterable[str], ok: str, expected: str) -> Verdict:
    """Pass with `ok` when there are no problems, else fail naming them and what is expected."""
    found = list(problems)
    if not found:
        return passed(ok)
    return failed(f"{'; '.join(found)}; expected {expected}")


def unset_flags(block: Mapping[str, Any] | None) -> list[str]:
    """The S3 Block Public Access flags that are not on (all four when there is no block at all)."""
    if block is None:
        return list(PUBLIC_ACCESS_BLOCK_FLAGS)
    return [flag for flag in PUBLIC_ACCESS_BLOCK_FLAGS if block.get(flag) is not True]


def about(verdict: Verdict, resource_id: str) -> Verdict:
    """The same verdict, attributed to one resource (for aggregate policies)."""
    return replace(verdict, resource_id=resource_id)
