"""Secrets Manager secrets."""

from __future__ import annotations

from datetime import timedelta

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, passed, unknown
from policies.python._schedule import ScheduleError, describe, longest_gap
from policies.python._unknowns import depends_on, is_unknown
from policies.sdk import policy


@policy(
    "aws.secretsmanager.rotation_enabled",
    resource_types=["aws.secretsmanager.secret"],
    title="Secrets rotate at least every 90 days",
    severity="medium",
    params={"max_days": 90},
)
def rotation_enabled(secret: ResourceSnapshot, ctx: Context) -> Verdict:
    """Automatic rotation must be on, with a known interval of at most max_days: the day count, or the
    longest gap a rate() or cron() schedule leaves between two rotations (the schedule wins when both
    are given, as in DescribeSecret, which derives the day count from the schedule)."""
    limit = int(ctx.params["max_days"])
    expected = f"expected rotation at least every {limit} days"
    attrs = secret.attributes
    if not attrs.get("rotation_enabled"):
        return failed(f"automatic rotation is off; {expected}")
    schedule, days = attrs.get("rotation_schedule"), attrs.get("rotation_days")
    setting = schedule if schedule is not None else days
    if setting is None:
        return failed(f"automatic rotation is on but sets no interval; {expected}")
    if is_unknown(setting):
        return unknown(f"rotation interval {depends_on(str(setting))}")
    if schedule is None:
        gap: timedelta | None = timedelta(days=int(setting))
        how = f"every {days} days"
    else:
        try:
            gap = longest_gap(str(schedule))
        except ScheduleError as exc:
            return failed(f"schedule {schedule} is not one Secrets Manager accepts ({exc}); {expected}")
        how = f"on {schedule}, at most {describe(gap)} apart" if gap is not None else ""
    if gap is None:
        return failed(
            f"schedule {schedule} does not keep firing (a year field ends it, or no date matches it); "
            + expected
        )
    if gap > timedelta(days=limit):
        return failed(f"the secret rotates {how}; expected at most {limit} days apart")
    return passed(f"the secret rotates {how}")
