"""KMS keys."""

from __future__ import annotations

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, not_applicable, passed
from policies.sdk import policy


@policy(
    "aws.kms.key_rotation",
    resource_types=["aws.kms.key"],
    title="Customer KMS keys rotate at least yearly",
    severity="medium",
    params={"max_rotation_days": 365},
)
def key_rotation(key: ResourceSnapshot, ctx: Context) -> Verdict:
    """Symmetric encryption keys the company manages must rotate automatically, at least every
    max_rotation_days. KMS cannot rotate asymmetric, HMAC or signing keys, and rotates AWS-managed
    keys itself."""
    attrs = key.attributes
    if str(attrs.get("key_manager", "CUSTOMER")).upper() == "AWS":
        return not_applicable("AWS-managed key: AWS rotates it")
    usage = attrs.get("key_usage", "ENCRYPT_DECRYPT")
    spec = attrs.get("key_spec", "SYMMETRIC_DEFAULT")
    if usage != "ENCRYPT_DECRYPT" or spec != "SYMMETRIC_DEFAULT":
        return not_applicable(
            f"{usage} key of spec {spec}: KMS supports automatic rotation only for symmetric encryption keys"
        )
    limit = int(ctx.params["max_rotation_days"])
    if not attrs.get("rotation_enabled"):
        return failed(f"rotation is disabled; customer keys must rotate at least every {limit} days")
    period = attrs.get("rotation_period_days")
    if period is not None and period > limit:
        return failed(f"rotation period is {period} days; expected at most {limit}")
    return passed(f"automatic rotation every {period or 365} days")
