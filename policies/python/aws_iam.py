"""IAM: root account, users' credentials, password policy, policy documents."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, not_applicable, passed
from policies.python._common import age_days, as_list, judge, statements
from policies.sdk import policy

WILDCARD_ACTIONS = ("*", "*:*")


@policy(
    "aws.iam.root_account_protected",
    resource_types=["aws.iam.account_summary"],
    title="The root user has MFA and no access keys",
    severity="critical",
    required=True,
)
def root_account_protected(summary: ResourceSnapshot, ctx: Context) -> Verdict:
    """The root user must sign in with MFA and have no access keys."""
    problems = []
    if not summary.attributes.get("account_mfa_enabled"):
        problems.append("root MFA is not enabled")
    if summary.attributes.get("account_access_keys_present"):
        problems.append("root has access keys")
    return judge(problems, "root MFA is on and root has no access keys", "root MFA and no root access keys")


@policy(
    "aws.iam.user_mfa",
    resource_types=["aws.iam.user"],
    title="Console users have MFA",
    severity="high",
)
def user_mfa(user: ResourceSnapshot, ctx: Context) -> Verdict:
    """Every user who can sign in to the console with a password must have an MFA device."""
    if not user.attributes.get("password_enabled"):
        return not_applicable("the user has no console password")
    if user.attributes.get("mfa_active"):
        return passed("the console user has an MFA device")
    return failed("the user can sign in with a password but has no MFA device; expected MFA")


@policy(
    "aws.iam.password_policy",
    resource_types=["aws.iam.password_policy"],
    title="The password policy demands long, varied, non-reused passwords",
    severity="medium",
    required=True,
    params={"min_length": 12, "min_reuse_prevention": 4},
)
def password_policy(pp: ResourceSnapshot, ctx: Context) -> Verdict:
    """Passwords must be at least min_length characters, contain digits and letters, and not repeat any
    of the last min_reuse_prevention passwords."""
    attrs = pp.attributes
    min_length = int(ctx.params["min_length"])
    min_reuse = int(ctx.params["min_reuse_prevention"])
    length = int(attrs.get("minimum_password_length") or 0)
    reuse = attrs.get("password_reuse_prevention")
    problems = []
    if length < min_length:
        problems.append(f"minimum length is {length}")
    if not attrs.get("require_numbers"):
        problems.append("digits are not required")
    if not (attrs.get("require_uppercase") or attrs.get("require_lowercase")):
        problems.append("letters are not required")
    if reuse is None or reuse < min_reuse:
        problems.append(f"password reuse prevention is {reuse or 'off'}")
    return judge(
        problems,
        f"length >= {length}, digits and letters, last {reuse} passwords barred",
        f"length >= {min_length}, digits and letters required, reuse prevention >= {min_reuse}",
    )


def _stale(last: str | None, fallback: str | None, now: datetime, limit: int) -> str | None:
    """Why a credential counts as inactive, or None. `fallback` dates a credential never used."""
    if last is not None:
        days = age_days(last, now)
        return f"last used {days:.0f} days ago" if days > limit else None
    if fallback is None:
        return "never used, and when it was issued is unknown"
    days = age_days(fallback, now)
    return f"never used in the {days:.0f} days since issued" if days > limit else None


def _inactive(user: Mapping[str, Any], now: datetime, limit: int) -> Iterator[str]:
    if user.get("password_enabled"):
        why = _stale(user.get("password_last_used"), user.get("created"), now, limit)
        if why:
            yield f"console password {why}"
    for n, key in enumerate(user.get("access_keys") or [], start=1):
        if key.get("active"):
            why = _stale(key.get("last_used"), key.get("last_rotated"), now, limit)
            if why:
                yield f"access key {n} {why}"


@policy(
    "aws.iam.inactive_credentials",
    resource_types=["aws.iam.user"],
    title="Credentials unused for 90 days are disabled",
    severity="medium",
    params={"max_inactive_days": 90},
)
def inactive_credentials(user: ResourceSnapshot, ctx: Context) -> Verdict:
    """A console password or active access key unused for max_inactive_days (or never used that long after
    being issued) must be disabled or removed."""
    attrs = user.attributes
    active_keys = [k for k in attrs.get("access_keys") or [] if k.get("active")]
    if not attrs.get("password_enabled") and not active_keys:
        return not_applicable("the user has neither a console password nor an active access key")
    limit = int(ctx.params["max_inactive_days"])
    return judge(
        _inactive(attrs, ctx.now, limit),
        f"every credential was used within {limit} days",
        f"credentials unused for more than {limit} days to be disabled",
    )


@policy(
    "aws.iam.access_key_rotation",
    resource_types=["aws.iam.user"],
    title="Access keys are rotated every 90 days",
    severity="medium",
    params={"max_age_days": 90},
)
def access_key_rotation(user: ResourceSnapshot, ctx: Context) -> Verdict:
    """Every active access key must have been created (rotated) within max_age_days."""
    keys = [k for k in user.attributes.get("access_keys") or [] if k.get("active")]
    if not keys:
        return not_applicable("the user has no active access key")
    limit = int(ctx.params["max_age_days"])
    problems = []
    for n, key in enumerate(keys, start=1):
        rotated = key.get("last_rotated")
        if rotated is None:
            problems.append(f"active key {n} has no known creation date")
        elif (days := age_days(rotated, ctx.now)) > limit:
            problems.append(f"active key {n} is {days:.0f} days old")
    return judge(
        problems,
        f"{len(keys)} active key(s), all rotated within {limit} days",
        f"active keys rotated at least every {limit} days",
    )


def _grants_everything(statement: Mapping[str, Any]) -> bool:
    if str(statement.get("Effect", "")) != "Allow":
        return False
    actions = {str(a) for a in as_list(statement.get("Action"))}
    return bool(actions & set(WILDCARD_ACTIONS)) and "*" in as_list(statement.get("Resource"))


@policy(
    "aws.iam.no_admin_policies",
    resource_types=["aws.iam.policy"],
    title="No customer policy grants full administrator access",
    severity="high",
)
def no_admin_policies(pol: ResourceSnapshot, ctx: Context) -> Verdict:
    """An attached customer-managed or inline policy must not Allow Action "*" on Resource "*". AWS-managed
    policies are out of scope (their content is AWS's); a policy attached to nobody grants nothing."""
    attrs = pol.attributes
    name = attrs.get("name") or pol.id
    if attrs.get("aws_managed"):
        return not_applicable(f"{name} is an AWS-managed policy")
    if not attrs.get("attached", True):
        return not_applicable(f"{name} is not attached to any user, group or role")
    document = attrs.get("document")
    if document is None:
        return failed(
            f"the document of {name} is unknown; expected one whose statements can be checked "
            "for Allow * on *"
        )
    if any(_grants_everything(s) for s in statements(document)):
        return failed(f"{name} allows Action * on Resource *; expected least-privilege actions and resources")
    return passed(f"{name} grants no Action * on Resource *")
