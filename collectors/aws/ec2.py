"""EC2 networking: security groups (ingress flattened to one rule per source), VPCs with their flow logs,
and EBS encryption by default. The flattening follows the Terraform mapper, so the same group reads alike.
"""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, tag_map

SECURITY_GROUP = "aws.ec2.security_group"
VPC = "aws.ec2.vpc"
EBS_DEFAULT = "aws.ec2.ebs_encryption_by_default"

# EC2 names the common protocols; numbers stand for the rest and "-1" for all of them.
_PROTOCOL_NAMES = {"all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def _protocol(value: Any) -> str:
    name = str(value if value is not None else "-1").strip().lower()
    return _PROTOCOL_NAMES.get(name, name)


def _rule_base(permission: dict[str, Any]) -> dict[str, Any]:
    protocol = _protocol(permission.get("IpProtocol"))
    every_port = protocol == "-1"
    return compact(
        {
            "protocol": protocol,
            "from_port": None if every_port else permission.get("FromPort"),
            "to_port": None if every_port else permission.get("ToPort"),
        }
    )


def _sources(permission: dict[str, Any], own_id: str) -> list[dict[str, Any]]:
    """One source per CIDR, group or prefix list; the group itself is "self", as Terraform writes it."""
    found = [
        {"cidr_ipv4": r.get("CidrIp"), "description": r.get("Description")}
        for r in permission.get("IpRanges") or ()
    ]
    found += [
        {"cidr_ipv6": r.get("CidrIpv6"), "description": r.get("Description")}
        for r in permission.get("Ipv6Ranges") or ()
    ]
    for pair in permission.get("UserIdGroupPairs") or ():
        group = pair.get("GroupId")
        found.append(
            {
                "source_security_group": "self" if group == own_id else group,
                "description": pair.get("Description"),
            }
        )
    found += [
        {"prefix_list": p.get("PrefixListId"), "description": p.get("Description")}
        for p in permission.get("PrefixListIds") or ()
    ]
    return [compact(source) for source in found]


def ingress_rules(group: dict[str, Any]) -> list[dict[str, Any]]:
    own_id = str(group.get("GroupId"))
    return [
        {**_rule_base(permission), **source}
        for permission in group.get("IpPermissions") or ()
        for source in _sources(permission, own_id)
    ]


def security_groups(api: Api) -> None:
    for group in api.items("describe_security_groups", "SecurityGroups"):
        arn = group.get("SecurityGroupArn") or api.arn(
            "ec2", f"security-group/{group['GroupId']}", account=group.get("OwnerId")
        )
        attributes = compact(
            {
                "name": group.get("GroupName"),
                "description": group.get("Description"),
                "vpc_id": group.get("VpcId"),
                "ingress": ingress_rules(group),
                "tags": tag_map(group.get("Tags")),
            }
        )
        api.emit(SECURITY_GROUP, id=arn, name=group.get("GroupName"), attributes=attributes, raw=group)


def _flow_log(log: dict[str, Any]) -> dict[str, Any]:
    return compact(
        {
            "traffic_type": log.get("TrafficType"),
            "destination_type": log.get("LogDestinationType"),
            "destination": log.get("LogDestination") or log.get("LogGroupName"),
        }
    )


def _flow_logs_by_vpc(api: Api) -> dict[str, list[dict[str, Any]]]:
    """The region's VPC flow logs as raw records by VPC id (subnet and interface logs are not VPC-wide)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for log in api.items("describe_flow_logs", "FlowLogs"):
        resource = str(log.get("ResourceId") or "")
        if resource.startswith("vpc-"):
            found.setdefault(resource, []).append(log)
    return found


def vpcs(api: Api) -> None:
    flow_logs = _flow_logs_by_vpc(api)
    for vpc in api.items("describe_vpcs", "Vpcs"):
        logs = flow_logs.get(str(vpc["VpcId"]), [])
        attributes = compact(
            {
                "cidr_block": vpc.get("CidrBlock"),
                "is_default": bool(vpc.get("IsDefault")),
                "flow_logs": [_flow_log(log) for log in logs],
                "tags": tag_map(vpc.get("Tags")),
            }
        )
        arn = api.arn("ec2", f"vpc/{vpc['VpcId']}", account=vpc.get("OwnerId"))
        api.emit(VPC, id=arn, attributes=attributes, raw={"vpc": vpc, "flow_logs": logs})


def ebs_default(api: Api) -> None:
    found = body(api.call("get_ebs_encryption_by_default"))
    api.emit(
        EBS_DEFAULT,
        id=api.arn("ec2", "ebs-encryption-by-default"),
        attributes={"enabled": bool(found.get("EbsEncryptionByDefault"))},
        raw=found,
    )


STEPS = (
    Step("ec2", (SECURITY_GROUP,), security_groups, ("ec2:DescribeSecurityGroups",)),
    Step("ec2", (VPC,), vpcs, ("ec2:DescribeFlowLogs", "ec2:DescribeVpcs")),
    Step("ec2", (EBS_DEFAULT,), ebs_default, ("ec2:GetEbsEncryptionByDefault",)),
)
