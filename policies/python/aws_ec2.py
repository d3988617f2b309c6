"""EC2 networking: security groups, VPC flow logs, EBS default encryption."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, passed
from policies.python._common import is_internet, rule_covers_tcp_port
from policies.sdk import attribute_policy, policy

ebs_default_encryption = attribute_policy(
    "aws.ec2.ebs_default_encryption",
    "aws.ec2.ebs_encryption_by_default",
    "enabled",
    True,
    title="EBS encrypts new volumes by default",
    severity="medium",
    required=True,
)


def _internet_source(rule: Mapping[str, Any]) -> str | None:
    for cidr in (rule.get("cidr_ipv4"), rule.get("cidr_ipv6")):
        if is_internet(cidr):
            return str(cidr)
    return None


def _exposed_ports(ingress: Iterable[Mapping[str, Any]], ports: Iterable[int]) -> list[str]:
    """Each internet-open ingress rule that reaches one of `ports`, described as "port from source"."""
    found: list[str] = []
    for rule in ingress:
        source = _internet_source(rule)
        if source is None:
            continue
        found.extend(f"{port} from {source}" for port in ports if rule_covers_tcp_port(rule, port))
    return sorted(set(found))


def _ports_closed(group: ResourceSnapshot, ports: Iterable[int], kind: str) -> Verdict:
    wanted = [int(p) for p in ports]
    exposed = _exposed_ports(group.attributes.get("ingress") or [], wanted)
    listed = ", ".join(str(p) for p in wanted)
    if exposed:
        return failed(
            f"ingress open to the internet on {kind} port {'; '.join(exposed)}; "
            f"expected no rule from 0.0.0.0/0 or ::/0 reaching {listed}"
        )
    return passed(f"no ingress rule from the internet reaches {kind} ports {listed}")


@policy(
    "aws.ec2.sg_admin_ports_closed",
    resource_types=["aws.ec2.security_group"],
    title="Security groups keep SSH and RDP closed to the internet",
    severity="high",
    params={"ports": [22, 3389]},
)
def sg_admin_ports_closed(group: ResourceSnapshot, ctx: Context) -> Verdict:
    """No ingress rule from 0.0.0.0/0 or ::/0 may reach remote administration ports (SSH, RDP)."""
    return _ports_closed(group, ctx.params["ports"], "administration")


@policy(
    "aws.ec2.sg_database_ports_closed",
    resource_types=["aws.ec2.security_group"],
    title="Security groups keep database ports closed to the internet",
    severity="high",
    params={"ports": [5432, 6379, 3306, 1433]},
)
def sg_database_ports_closed(group: ResourceSnapshot, ctx: Context) -> Verdict:
    """No ingress rule from 0.0.0.0/0 or ::/0 may reach database or cache ports."""
    return _ports_closed(group, ctx.params["ports"], "database")


@policy(
    "aws.ec2.vpc_flow_logs",
    resource_types=["aws.ec2.vpc"],
    title="VPCs record flow logs",
    severity="medium",
)
def vpc_flow_logs(vpc: ResourceSnapshot, ctx: Context) -> Verdict:
    """A flow log capturing ALL or REJECT traffic must be attached to the VPC."""
    logs = vpc.attributes.get("flow_logs") or []
    kinds = [str(f.get("traffic_type") or "unset").upper() for f in logs]
    useful = [k for k in kinds if k in ("ALL", "REJECT")]
    if useful:
        return passed(f"flow log capturing {useful[0]} traffic is attached")
    if not logs:
        return failed("no flow log is attached; expected one capturing ALL or REJECT traffic")
    return failed(f"flow logs capture only {', '.join(kinds)} traffic; expected ALL or REJECT")
