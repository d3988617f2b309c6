"""Application, network and gateway load balancers: scheme, listeners and their TLS policies, attributes,
the WAF web ACL in front of application load balancers, and tags."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, tag_map

LOAD_BALANCER = "aws.lb.load_balancer"
_TLS_PROTOCOLS = ("HTTPS", "TLS")


def listener_attributes(listener: dict[str, Any]) -> dict[str, Any]:
    protocol = str(listener.get("Protocol") or "").upper() or None
    redirects = any(
        action.get("Type") == "redirect"
        and str((action.get("RedirectConfig") or {}).get("Protocol", "")).upper() == "HTTPS"
        for action in listener.get("DefaultActions") or ()
    )
    return compact(
        {
            "port": listener.get("Port"),
            "protocol": protocol,
            # Only TLS listeners negotiate with a security policy; others may still report one.
            "ssl_policy": listener.get("SslPolicy") if protocol in _TLS_PROTOCOLS else None,
            "redirects_to_https": redirects,
        }
    )


def lb_attributes(lb: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    settings = {a["Key"]: a.get("Value") for a in details["attributes"]}
    acl = (details["web_acl"] or {}).get("WebACL") or {}
    return compact(
        {
            "name": lb.get("LoadBalancerName"),
            "scheme": lb.get("Scheme"),
            "type": lb.get("Type"),
            "waf_web_acl": acl.get("ARN"),
            "drop_invalid_header_fields": settings.get("routing.http.drop_invalid_header_fields.enabled")
            == "true",
            "access_logs_enabled": settings.get("access_logs.s3.enabled") == "true",
            "listeners": [listener_attributes(listener) for listener in details["listeners"]],
            "tags": tag_map(details["tags"]),
        }
    )


def _details(api: Api, lb: dict[str, Any]) -> dict[str, Any]:
    arn = lb["LoadBalancerArn"]
    tags = api.call("describe_tags", ResourceArns=[arn]).get("TagDescriptions") or [{}]
    details: dict[str, Any] = {
        "attributes": api.call("describe_load_balancer_attributes", LoadBalancerArn=arn).get("Attributes")
        or [],
        "listeners": list(api.items("describe_listeners", "Listeners", LoadBalancerArn=arn)),
        "tags": tags[0].get("Tags"),
        "web_acl": None,
    }
    if lb.get("Type") == "application":  # WAF attaches to application load balancers only
        details["web_acl"] = body(api.call("get_web_acl_for_resource", service="wafv2", ResourceArn=arn))
    return details


def load_balancers(api: Api) -> None:
    for lb in api.items("describe_load_balancers", "LoadBalancers"):
        arn = str(lb["LoadBalancerArn"])
        with api.isolated(arn):
            details = _details(api, lb)
            api.emit(
                LOAD_BALANCER,
                id=arn,
                name=lb.get("LoadBalancerName"),
                attributes=lb_attributes(lb, details),
                raw={"load_balancer": lb, **details},
            )


STEPS = (
    Step(
        "elbv2",
        (LOAD_BALANCER,),
        load_balancers,
        (
            "elbv2:DescribeLoadBalancers",
            "elbv2:DescribeLoadBalancerAttributes",
            "elbv2:DescribeListeners",
            "elbv2:DescribeTags",
            "wafv2:GetWebACLForResource",
        ),
    ),
)
