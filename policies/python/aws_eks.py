"""EKS control planes."""

from __future__ import annotations

import re

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, passed
from policies.python._common import is_internet
from policies.sdk import policy

CONTROL_PLANE_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")


@policy(
    "aws.eks.secrets_encryption",
    resource_types=["aws.eks.cluster"],
    title="EKS encrypts Kubernetes secrets with a KMS key",
    severity="high",
)
def secrets_encryption(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """Envelope encryption of Kubernetes secrets with a customer KMS key must be configured."""
    key = cluster.attributes.get("secrets_encryption_key")
    if key:
        return passed(f"secrets are envelope-encrypted with KMS key {key}")
    return failed("no encryption_config covers secrets; expected envelope encryption with a KMS key")


@policy(
    "aws.eks.endpoint_restricted",
    resource_types=["aws.eks.cluster"],
    title="The EKS API endpoint is not open to the internet",
    severity="high",
)
def endpoint_restricted(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """The API server must be private, or public only to listed address ranges that exclude 0.0.0.0/0."""
    attrs = cluster.attributes
    if not attrs.get("endpoint_public_access", True):
        return passed("the public endpoint is disabled")
    cidrs = attrs.get("public_access_cidrs") or []
    if not cidrs:
        return failed(
            "the public endpoint has no allowed ranges listed (EKS then admits 0.0.0.0/0); "
            "expected a private endpoint or specific ranges"
        )
    open_ranges = [c for c in cidrs if is_internet(c)]
    if open_ranges:
        return failed(
            f"the public endpoint admits {', '.join(open_ranges)}; "
            "expected a private endpoint or specific ranges"
        )
    return passed(f"the public endpoint admits only {', '.join(cidrs)}")


def _version(text: str) -> tuple[int, ...] | None:
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", text.strip())
    return (int(match[1]), int(match[2])) if match else None


@policy(
    "aws.eks.supported_version",
    resource_types=["aws.eks.cluster"],
    title="EKS runs a supported Kubernetes version",
    severity="medium",
    params={"min_version": "1.30"},
)
def supported_version(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """The control plane's Kubernetes minor version must be at least min_version (compared numerically)."""
    minimum = str(ctx.params["min_version"])
    wanted = _version(minimum)
    if wanted is None:
        raise ValueError(f"parameter min_version {minimum!r} is not a MAJOR.MINOR version")
    version = cluster.attributes.get("version")
    if version is None:
        return failed(f"no version is pinned, so it is not known; expected {minimum} or later")
    found = _version(str(version))
    if found is None:
        return failed(f"version {version!r} is not a MAJOR.MINOR version; expected {minimum} or later")
    if found < wanted:
        return failed(f"Kubernetes {version} is older than {minimum}")
    return passed(f"Kubernetes {version} is {minimum} or later")


@policy(
    "aws.eks.control_plane_logging",
    resource_types=["aws.eks.cluster"],
    title="EKS sends every control plane log to CloudWatch",
    severity="medium",
)
def control_plane_logging(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """All five control plane log types (api, audit, authenticator, controllerManager, scheduler) are on."""
    enabled = set(cluster.attributes.get("enabled_log_types") or [])
    absent = [t for t in CONTROL_PLANE_LOGS if t not in enabled]
    if absent:
        return failed(
            f"control plane logs {', '.join(absent)} are off; expected all of {', '.join(CONTROL_PLANE_LOGS)}"
        )
    return passed("all five control plane log types are enabled")
