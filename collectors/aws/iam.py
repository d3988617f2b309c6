"""IAM, once per account: the root account summary, the password policy, every user's credentials (from
the credential report), the customer-managed policies with their default version's document, and the
inline policies embedded in roles, groups and users (which no policy listing shows).

Users carry no names: a user's snapshot id is built from its opaque UserId (AIDA...), never its name.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, json_object
from collectors.aws.errors import ApiError

SUMMARY = "aws.iam.account_summary"
PASSWORD_POLICY = "aws.iam.password_policy"
USER = "aws.iam.user"
POLICY = "aws.iam.policy"

REPORT_WAIT_SECONDS = 120.0  # how long GenerateCredentialReport may take before the users count as unread
REPORT_FIRST_PAUSE = 0.5
REPORT_MAX_PAUSE = 5.0
ROOT_ROW = "<root_account>"
_NOT_A_TIME = frozenset({"", "N/A", "no_information", "not_supported"})


def account_summary(api: Api) -> None:
    found = body(api.call("get_account_summary"))
    summary = found.get("SummaryMap") or {}
    attributes = {
        "account_mfa_enabled": summary.get("AccountMFAEnabled") == 1,
        "account_access_keys_present": int(summary.get("AccountAccessKeysPresent") or 0) > 0,
    }
    api.emit(SUMMARY, id=api.arn("iam", "account-summary", region=""), attributes=attributes, raw=found)


def password_policy(api: Api) -> None:
    """No password policy (NoSuchEntity) means no snapshot: the policy then reports it missing."""
    found = api.lookup("get_account_password_policy", absent=("NoSuchEntity",))
    if found is None:
        return
    policy = found["PasswordPolicy"]
    attributes = compact(
        {
            "minimum_password_length": policy.get("MinimumPasswordLength"),
            "require_symbols": bool(policy.get("RequireSymbols")),
            "require_numbers": bool(policy.get("RequireNumbers")),
            "require_uppercase": bool(policy.get("RequireUppercaseCharacters")),
            "require_lowercase": bool(policy.get("RequireLowercaseCharacters")),
            "max_password_age": policy.get("MaxPasswordAge") or None,
            "password_reuse_prevention": policy.get("PasswordReusePrevention"),
            "hard_expiry": bool(policy.get("HardExpiry")),
        }
    )
    api.emit(
        PASSWORD_POLICY,
        id=api.arn("iam", "account-password-policy", region=""),
        attributes=attributes,
        raw=body(found),
    )


def _moment(value: str | None) -> str | None:
    return None if value is None or value in _NOT_A_TIME else value


def _access_key(row: dict[str, str], n: int) -> dict[str, Any] | None:
    active = row.get(f"access_key_{n}_active") == "true"
    rotated = _moment(row.get(f"access_key_{n}_last_rotated"))
    if not active and rotated is None:
        return None  # no such key
    return compact(
        {
            "active": active,
            "last_rotated": rotated,
            "last_used": _moment(row.get(f"access_key_{n}_last_used_date")),
        }
    )


def user_attributes(row: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            "password_enabled": row.get("password_enabled") == "true",
            "password_last_used": _moment(row.get("password_last_used")),
            "mfa_active": row.get("mfa_active") == "true",
            "access_keys": [key for n in (1, 2) if (key := _access_key(row, n)) is not None],
            "created": _moment(row.get("user_creation_time")),
        }
    )


def _credential_report(api: Api) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The report's rows, after asking IAM to (re)generate it and waiting a bounded time."""
    deadline = time.monotonic() + REPORT_WAIT_SECONDS
    pause = REPORT_FIRST_PAUSE
    while api.call("generate_credential_report").get("State") != "COMPLETE":
        if time.monotonic() + pause > deadline:
            raise ApiError(
                "iam",
                "GenerateCredentialReport",
                None,
                "ReportNotReady",
                f"the credential report was not complete within {REPORT_WAIT_SECONDS:.0f} s",
                "other",
            )
        time.sleep(pause)
        pause = min(pause * 2, REPORT_MAX_PAUSE)
    report = body(api.call("get_credential_report"))
    content = report.pop("Content", b"")
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return list(csv.DictReader(io.StringIO(text))), report


def _stamp(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _direct_keys(api: Api, user_name: str) -> list[dict[str, Any]]:
    keys = []
    for key in api.items("list_access_keys", "AccessKeyMetadata", UserName=user_name):
        last = api.call("get_access_key_last_used", AccessKeyId=key["AccessKeyId"])
        used = last.get("AccessKeyLastUsed") or {}
        keys.append(
            compact(
                {
                    "active": key.get("Status") == "Active",
                    "last_rotated": _stamp(key.get("CreateDate")),
                    "last_used": _stamp(used.get("LastUsedDate")),
                }
            )
        )
    return keys


def _direct_user(api: Api, user: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A user the credential report does not list yet (it may be up to 4 hours old), read call by call."""
    name = user["UserName"]
    login = api.lookup("get_login_profile", absent=("NoSuchEntity",), UserName=name)
    mfa = [d for page in api.pages("list_mfa_devices", UserName=name) for d in page.get("MFADevices") or ()]
    keys = _direct_keys(api, name)
    attributes = compact(
        {
            "password_enabled": login is not None,
            "password_last_used": _stamp(user.get("PasswordLastUsed")),
            "mfa_active": bool(mfa),
            "access_keys": keys,
            "created": _stamp(user.get("CreateDate")),
        }
    )
    return attributes, {"user": user, "login_profile": login and body(login), "mfa": mfa, "access_keys": keys}


def _user_id(api: Api, user_id: str) -> str:
    return api.arn("iam", f"user-id/{user_id}", region="")


def users(api: Api) -> None:
    """Every listed user, from its credential report row, or read directly when the report predates it.

    The root user's row is left out: the account summary judges root. A report row whose user is no
    longer listed belongs to a deleted user.
    """
    rows, meta = _credential_report(api)
    by_arn = {str(row.get("arn")): row for row in rows if row.get("user") != ROOT_ROW}
    for user in api.items("list_users", "Users"):
        user_id = _user_id(api, str(user["UserId"]))
        with api.isolated(user_id, conceal=(str(user["UserName"]),)):  # AWS error texts name the user
            row = by_arn.get(str(user["Arn"]))
            if row is not None:
                attributes, raw = user_attributes(row), {"report": meta, "row": row}
            else:
                attributes, raw = _direct_user(api, user)
            api.emit(USER, id=user_id, attributes=attributes, raw=raw)


def _document(value: Any) -> dict[str, Any] | None:
    """The policy document; the SDK decodes it, but IAM's own answer is URL-encoded JSON text."""
    found = json_object(value)
    if found is None and isinstance(value, str):
        found = json_object(unquote(value))
    return found


def policies(api: Api) -> None:
    for policy in api.items("list_policies", "Policies", Scope="Local", OnlyAttached=False):
        arn = str(policy["Arn"])
        with api.isolated(arn):
            version = api.call("get_policy_version", PolicyArn=arn, VersionId=policy["DefaultVersionId"])
            document = _document(version["PolicyVersion"].get("Document"))
            attributes = compact(
                {
                    "name": policy.get("PolicyName"),
                    "kind": "managed",
                    "aws_managed": False,
                    "attached": int(policy.get("AttachmentCount") or 0) > 0,
                    "document": document,
                }
            )
            api.emit(
                POLICY,
                id=arn,
                name=policy.get("PolicyName"),
                attributes=attributes,
                raw={"policy": policy, "version": body(version)},
            )


# (principal, listing, its key, name parameter); each has list_<principal>_policies and get_<principal>_policy
_PRINCIPALS = (
    ("role", "list_roles", "Roles", "RoleName"),
    ("group", "list_groups", "Groups", "GroupName"),
    ("user", "list_users", "Users", "UserName"),
)


def inline_policies(api: Api) -> None:
    """Every inline policy, named after its owner: a role's or group's ARN, a user's opaque id (never the
    user's name, which is also kept out of the raw response)."""
    for principal, listing, key, parameter in _PRINCIPALS:
        for entity in api.items(listing, key):
            name = str(entity[parameter])
            is_user = principal == "user"
            owner = _user_id(api, str(entity["UserId"])) if is_user else str(entity["Arn"])
            with api.isolated(owner, conceal=(name,) if is_user else ()):
                _inline_of(api, principal, {parameter: name}, owner)


def _inline_of(api: Api, principal: str, whose: dict[str, str], owner: str) -> None:
    for listed in api.items(f"list_{principal}_policies", "PolicyNames", **whose):
        policy_name = str(listed)  # this listing's items are names, not objects
        found = body(api.call(f"get_{principal}_policy", PolicyName=policy_name, **whose))
        found.pop("UserName", None)
        attributes = {
            "name": policy_name,
            "kind": "inline",
            "aws_managed": False,
            "attached": True,  # an inline policy is always in force on its owner
            "document": _document(found.get("PolicyDocument")),
        }
        api.emit(
            POLICY,
            id=f"{owner}/inline-policy/{policy_name}",
            name=policy_name,
            attributes=compact(attributes),
            raw=found,
        )


STEPS = (
    Step("iam", (SUMMARY,), account_summary, ("iam:GetAccountSummary",), is_global=True),
    Step("iam", (PASSWORD_POLICY,), password_policy, ("iam:GetAccountPasswordPolicy",), is_global=True),
    Step(
        "iam",
        (USER,),
        users,
        (
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
            "iam:ListUsers",
            "iam:GetLoginProfile",
            "iam:ListMFADevices",
            "iam:ListAccessKeys",
            "iam:GetAccessKeyLastUsed",
        ),
        is_global=True,
    ),
    Step("iam", (POLICY,), policies, ("iam:ListPolicies", "iam:GetPolicyVersion"), is_global=True),
    Step(
        "iam",
        (POLICY,),
        inline_policies,
        tuple(
            f"iam:{operation}{principal.title()}{suffix}"
            for principal, *_ in _PRINCIPALS
            for operation, suffix in (("List", "s"), ("List", "Policies"), ("Get", "Policy"))
        ),
        is_global=True,
    ),
)
