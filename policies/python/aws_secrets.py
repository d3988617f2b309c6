"""Secrets Manager secrets."""

from __future__ import annotations

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, passed
from policies.sdk import policy


@policy(
    "aws.secretsmanager.rotation_enabled",
    resource_types=["aws.secretsmanager.secret"],
    title="Secrets rotate at least every 90 days",
    severity="medium",
    params={"max_days": 90},
)
def rotation_enabled(secret: ResourceSnapshot, ctx: Context) -> Verdict:
    """Automatic rotation must be on, with an interval (when known) of at most max_days."""
    limit = int(ctx.params["max_days"])
    if not secret.attributes.get("rotation_enabled"):
        return failed(f"automatic rotation is off; expected rotation at least every {limit} days")
    days = secret.attributes.get("rotation_days")
    if days is not None and days > limit:
        return failed(f"the secret rotates every {days} days; expected at most {limit}")
    interval = f"every {days} days" if days is not None else "on a schedule"
    return passed(f"the secret rotates {interval}")
