"""Elastic Load Balancing: listener TLS and WAF."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Context, Status, Verdict, failed, not_applicable, passed, unknown
from policies.python._common import TLS12_LB_POLICIES, judge
from policies.python._unknowns import depends_on, is_unknown
from policies.sdk import policy

TLS_PROTOCOLS = ("HTTPS", "TLS")


def _weak_listeners(listeners: Iterable[Mapping[str, Any]], allowed: set[str]) -> Iterator[str]:
    for listener in listeners:
        protocol = str(listener.get("protocol") or "unset").upper()
        where = f"{protocol} listener on port {listener.get('port')}"
        if protocol in TLS_PROTOCOLS:
            ssl_policy = listener.get("ssl_policy")
            if ssl_policy not in allowed:
                yield f"{where} uses security policy {ssl_policy or 'unset (the provider default)'}"
        elif protocol == "HTTP":
            if not listener.get("redirects_to_https"):
                yield f"{where} serves plain HTTP without redirecting to HTTPS"
        else:
            yield f"{where} does not terminate TLS"


def _scheme(lb: ResourceSnapshot) -> str:
    return "internal" if lb.attributes.get("scheme") == "internal" else "internet-facing"


def _kind(lb: ResourceSnapshot) -> str:
    """application, network or gateway; from Terraform, the `${...}` text of a type it cannot know."""
    kind = str(lb.attributes.get("type") or "application")
    return kind if is_unknown(kind) else kind.lower()


def _judge_listeners(lb: ResourceSnapshot, allowed: set[str]) -> Verdict:
    scheme = _scheme(lb)
    listeners = lb.attributes.get("listeners") or []
    if not listeners:
        return failed(f"{scheme} load balancer has no listeners to judge; expected HTTPS/TLS listeners")
    return judge(
        _weak_listeners(listeners, allowed),
        f"{scheme} load balancer: all {len(listeners)} listener(s) use TLS 1.2+ or redirect to HTTPS",
        f"on this {scheme} load balancer HTTPS/TLS listeners with a TLS 1.2+ security policy "
        "or HTTP redirects to HTTPS",
    )


@policy(
    "aws.lb.listener_tls",
    resource_types=["aws.lb.load_balancer"],
    title="Load balancers accept only TLS 1.2 or later",
    severity="high",
    params={"allowed_ssl_policies": list(TLS12_LB_POLICIES)},
)
def listener_tls(lb: ResourceSnapshot, ctx: Context) -> Verdict:
    """Every listener must be HTTPS/TLS with a TLS 1.2+ security policy from the allow-list, or plain HTTP
    that only redirects to HTTPS. Internal load balancers are held to the same rule. Gateway load
    balancers pass packets to appliances over GENEVE and cannot terminate TLS: they are not judged."""
    kind = _kind(lb)
    if kind == "gateway":
        return not_applicable(
            "gateway load balancer: it forwards packets over GENEVE and cannot terminate TLS"
        )
    verdict = _judge_listeners(lb, {str(p) for p in ctx.params["allowed_ssl_policies"]})
    if is_unknown(kind) and verdict.status is Status.failed:  # a gateway would not be judged at all
        return unknown(
            f"load balancer type {depends_on(kind)} "
            f"(a gateway is not judged; any other fails: {verdict.message})"
        )
    return verdict


@policy(
    "aws.lb.waf_attached",
    resource_types=["aws.lb.load_balancer"],
    title="Internet-facing application load balancers have a WAF",
    severity="medium",
)
def waf_attached(lb: ResourceSnapshot, ctx: Context) -> Verdict:
    """An internet-facing application load balancer must be associated with a WAF web ACL."""
    kind = _kind(lb)
    if not is_unknown(kind) and kind != "application":
        return not_applicable(f"{kind} load balancer: WAF attaches only to application load balancers")
    if _scheme(lb) == "internal":
        return not_applicable("internal load balancer: not reachable from the internet")
    acl = lb.attributes.get("waf_web_acl")
    if acl:
        return passed(f"WAF web ACL {acl} is attached")
    if is_unknown(kind):
        return unknown(f"load balancer type {depends_on(kind)} (an application load balancer needs a WAF)")
    return failed("internet-facing application load balancer has no WAF web ACL; expected one")
