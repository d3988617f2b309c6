"""Network edges: security groups with their rules, VPCs with flow logs, load balancers, EKS endpoints."""

from __future__ import annotations

from typing import Any

from collectors.terraform.mapping.aws_common import (
    compact,
    integer,
    name_or_address,
    strings,
    tags,
    text,
    upper,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource

# EC2 reports the common protocol numbers by name, and "-1" for all protocols.
_PROTOCOL_NAMES = {"all": "-1", "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def _protocol(value: Any) -> str:
    """Normalised protocol; an unset or unknown protocol is judged as "all" (the safe reading)."""
    raw = known(value)
    name = str(raw).strip().lower() if raw is not None else "-1"
    return _PROTOCOL_NAMES.get(name, name)


def _rule_base(rule: dict[str, Any], protocol_key: str) -> dict[str, Any]:
    protocol = _protocol(rule.get(protocol_key))
    all_ports = protocol == "-1"
    return compact(
        {
            "protocol": protocol,
            "from_port": None if all_ports else integer(rule.get("from_port")),
            "to_port": None if all_ports else integer(rule.get("to_port")),
            "description": text(known(rule.get("description"))) or None,
        }
    )


def _classic_sources(rule: dict[str, Any], group_key: str) -> list[dict[str, str]]:
    """One source per CIDR, group or prefix list of an `ingress` block or an aws_security_group_rule."""
    sources = [{"cidr_ipv4": c} for c in strings(rule.get("cidr_blocks"))]
    sources += [{"cidr_ipv6": c} for c in strings(rule.get("ipv6_cidr_blocks"))]
    sources += [{"source_security_group": g} for g in strings(rule.get(group_key))]
    sources += [{"prefix_list": p} for p in strings(rule.get("prefix_list_ids"))]
    if flag(rule.get("self")):
        sources.append({"source_security_group": "self"})
    return sources


def _classic_rules(rule: dict[str, Any], group_key: str) -> list[dict[str, Any]]:
    base = _rule_base(rule, "protocol")
    return [{**base, **source} for source in _classic_sources(rule, group_key)]


def _vpc_rule(rule: TfResource) -> dict[str, Any]:
    """An aws_vpc_security_group_ingress_rule: exactly one source each."""
    source = {
        "cidr_ipv4": text(rule.values.get("cidr_ipv4")),
        "cidr_ipv6": text(rule.values.get("cidr_ipv6")),
        "source_security_group": text(rule.values.get("referenced_security_group_id")),
        "prefix_list": text(rule.values.get("prefix_list_id")),
    }
    return {**_rule_base(rule.values, "ip_protocol"), **compact(source)}


def _ingress_rules(res: TfResource, model: TfModel) -> list[dict[str, Any]]:
    rules = [r for block in res.blocks("ingress") for r in _classic_rules(block, "security_groups")]
    for standalone in model.children(res, "aws_security_group_rule", "security_group_id"):
        if known(standalone.values.get("type")) == "ingress":
            rules.extend(_classic_rules(standalone.values, "source_security_group_id"))
    rules.extend(
        _vpc_rule(r) for r in model.children(res, "aws_vpc_security_group_ingress_rule", "security_group_id")
    )
    return rules


@mapper(
    "aws_security_group",
    "aws_default_security_group",
    snapshot_type="aws.ec2.security_group",
    name_attribute="name",
)
def security_group(res: TfResource, model: TfModel) -> dict[str, Any]:
    name = "default" if res.type == "aws_default_security_group" else text(res.values.get("name"))
    return compact(
        {
            "name": name,
            "description": text(known(res.get("description", "Managed by Terraform"))),
            "vpc_id": text(res.values.get("vpc_id")),
            "ingress": _ingress_rules(res, model),
            "tags": tags(res),
        }
    )


def _flow_log(log: TfResource) -> dict[str, Any]:
    destination = log.values.get("log_destination") or log.values.get("log_group_name")
    return compact(
        {
            "traffic_type": upper(log.values.get("traffic_type")),
            "destination_type": text(known(log.get("log_destination_type", "cloud-watch-logs"))),
            "destination": text(destination),
        }
    )


@mapper("aws_vpc", "aws_default_vpc", snapshot_type="aws.ec2.vpc")
def vpc(res: TfResource, model: TfModel) -> dict[str, Any]:
    return compact(
        {
            "cidr_block": text(known(res.values.get("cidr_block"))),
            "is_default": res.type == "aws_default_vpc",
            "flow_logs": [_flow_log(log) for log in model.children(res, "aws_flow_log", "vpc_id")],
            "tags": tags(res),
        }
    )


def _listener(listener: TfResource, lb_type: str) -> dict[str, Any]:
    # The provider defaults an application load balancer's listener to HTTP; NLB listeners have no default.
    default_protocol = "HTTP" if lb_type == "application" else None
    redirects = any(
        known(action.get("type")) == "redirect"
        and upper(listener.block("redirect", source=action).get("protocol")) == "HTTPS"
        for action in listener.blocks("default_action")
    )
    return compact(
        {
            "port": integer(listener.values.get("port")),
            "protocol": upper(listener.get("protocol", default_protocol)),
            "ssl_policy": text(listener.values.get("ssl_policy")),
            "redirects_to_https": redirects,
        }
    )


def _web_acl(res: TfResource, model: TfModel) -> str | None:
    for association in model.children(res, "aws_wafv2_web_acl_association", "resource_arn"):
        return text(association.values.get("web_acl_arn"))
    for association in model.children(res, "aws_wafregional_web_acl_association", "resource_arn"):
        return text(association.values.get("web_acl_id"))
    return None


@mapper("aws_lb", "aws_alb", snapshot_type="aws.lb.load_balancer", name_attribute="name")
def load_balancer(res: TfResource, model: TfModel) -> dict[str, Any]:
    # An unknown type stays its `${...}` text: a policy tells gateway load balancers apart by it.
    lb_type = str(res.get("load_balancer_type", "application"))
    listeners = [
        _listener(listener, lb_type)
        for listener_type in ("aws_lb_listener", "aws_alb_listener")
        for listener in model.children(res, listener_type, "load_balancer_arn")
    ]
    return compact(
        {
            "name": text(res.values.get("name")),
            "scheme": "internal" if flag(res.values.get("internal")) else "internet-facing",
            "type": lb_type,
            "waf_web_acl": _web_acl(res, model),
            "drop_invalid_header_fields": flag(res.values.get("drop_invalid_header_fields")),
            "access_logs_enabled": flag(res.block("access_logs").get("enabled")),  # provider default: false
            "listeners": listeners,
            "tags": tags(res),
        }
    )


def _secrets_key(res: TfResource) -> str | None:
    for config in res.blocks("encryption_config"):
        if "secrets" in strings(config.get("resources")):
            return text(res.block("provider", source=config).get("key_arn"))
    return None


@mapper("aws_eks_cluster", snapshot_type="aws.eks.cluster", name_attribute="name")
def eks_cluster(res: TfResource, model: TfModel) -> dict[str, Any]:
    network = res.block("vpc_config")
    cidrs = strings(known(network.get("public_access_cidrs")))
    return compact(
        {
            "name": name_or_address(res, "name"),
            "version": text(known(res.values.get("version"))),
            "endpoint_public_access": flag(network.get("endpoint_public_access"), default=True),
            "endpoint_private_access": flag(network.get("endpoint_private_access")),
            "public_access_cidrs": cidrs or None,  # unset: AWS opens the public endpoint to 0.0.0.0/0
            "secrets_encryption_key": _secrets_key(res),
            "enabled_log_types": strings(res.values.get("enabled_cluster_log_types")),
            "tags": tags(res),
        }
    )
