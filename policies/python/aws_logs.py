"""CloudWatch Logs log groups."""

from __future__ import annotations

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, passed
from policies.python._common import holds_personal_data
from policies.sdk import policy


@policy(
    "aws.logs.retention",
    resource_types=["aws.logs.log_group"],
    title="Log groups keep logs at least a year, and personal data not forever",
    severity="medium",
    params={"min_days": 365},
)
def retention(group: ResourceSnapshot, ctx: Context) -> Verdict:
    """Logs must be kept at least min_days. A log group tagged with personal data must also have a bounded
    retention (storage limitation), so "never expire" fails there."""
    min_days = int(ctx.params["min_days"])
    days = group.attributes.get("retention_in_days")
    if days is None:
        if holds_personal_data(group):
            return failed(
                "logs never expire but the group holds personal data; "
                f"expected a bounded retention of at least {min_days} days"
            )
        return passed("logs never expire")
    if days < min_days:
        return failed(f"logs are kept {days} days; expected at least {min_days}")
    return passed(f"logs are kept {days} days")
