"""Detection and alerting: GuardDuty, AWS Config, EventBridge security alerts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Context, Resources, Verdict, failed, not_applicable, passed
from policies.python._common import as_list, judge
from policies.sdk import aggregate_policy, policy

API_CALL = "AWS API Call via CloudTrail"
EKS_PROTECTION = ("EKS_AUDIT_LOGS", "EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING")


@policy(
    "aws.guardduty.enabled",
    resource_types=["aws.guardduty.detector"],
    title="GuardDuty watches the account, EKS and S3",
    severity="high",
    required=True,
)
def guardduty_enabled(detector: ResourceSnapshot, ctx: Context) -> Verdict:
    """The detector must be enabled with EKS protection (audit logs or runtime) and S3 protection."""
    attrs = detector.attributes
    if not attrs.get("enabled"):
        return failed("the GuardDuty detector is disabled; expected it enabled with EKS and S3 protection")
    features = attrs.get("features") or {}
    problems = []
    if not any(features.get(f) for f in EKS_PROTECTION):
        problems.append("no EKS protection feature is on")
    if not features.get("S3_DATA_EVENTS"):
        problems.append("S3 protection (S3_DATA_EVENTS) is off")
    return judge(
        problems,
        "GuardDuty is enabled with EKS and S3 protection",
        f"one of {', '.join(EKS_PROTECTION)} and S3_DATA_EVENTS",
    )


@policy(
    "aws.config.recorder_enabled",
    resource_types=["aws.config.recorder"],
    title="AWS Config records every resource type",
    severity="medium",
    required=True,
)
def config_recorder_enabled(recorder: ResourceSnapshot, ctx: Context) -> Verdict:
    """The recorder must be running and record all supported resource types, global ones (IAM) included."""
    attrs = recorder.attributes
    problems = []
    if not attrs.get("recording"):
        problems.append("the recorder is stopped")
    if not attrs.get("all_supported"):
        problems.append("it records a selection of resource types")
    if not attrs.get("include_global_resource_types"):
        problems.append("global resource types (IAM) are excluded")
    return judge(
        problems,
        "recording all supported resource types, global ones included",
        "a running recorder with all_supported and include_global_resource_types",
    )


@dataclass(frozen=True)
class Area:
    """A kind of security-relevant change an alert rule should watch."""

    name: str
    source: str | None = None  # a rule on all API calls of this source (no eventName filter) covers it
    event_names: frozenset[str] = frozenset()
    identity_type: str | None = None


AREAS = (
    Area("CloudTrail changes", "aws.cloudtrail", frozenset({"StopLogging", "DeleteTrail", "UpdateTrail"})),
    Area(
        "security group changes",
        event_names=frozenset(
            {
                "AuthorizeSecurityGroupIngress",
                "AuthorizeSecurityGroupEgress",
                "RevokeSecurityGroupIngress",
                "RevokeSecurityGroupEgress",
                "CreateSecurityGroup",
                "DeleteSecurityGroup",
            }
        ),
    ),
    Area(
        "IAM policy changes",
        "aws.iam",
        frozenset(
            {
                "PutUserPolicy",
                "PutRolePolicy",
                "PutGroupPolicy",
                "AttachUserPolicy",
                "AttachRolePolicy",
                "AttachGroupPolicy",
                "DetachUserPolicy",
                "DetachRolePolicy",
                "DetachGroupPolicy",
                "CreatePolicy",
                "CreatePolicyVersion",
                "DeletePolicy",
                "DeletePolicyVersion",
                "SetDefaultPolicyVersion",
            }
        ),
    ),
    Area("root user activity", identity_type="Root"),
)


def _strings(pattern: Mapping[str, Any], *path: str) -> set[str]:
    """The plain string values at `path` in an event pattern (content filters such as prefix are skipped)."""
    value: Any = pattern
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return {v for v in as_list(value) if isinstance(v, str)}


def _areas_watched(pattern: Mapping[str, Any]) -> list[str]:
    sources = _strings(pattern, "source")
    names = _strings(pattern, "detail", "eventName")
    identities = _strings(pattern, "detail", "userIdentity", "type")
    detail_types = _strings(pattern, "detail-type")
    api_calls = not detail_types or API_CALL in detail_types
    watched = []
    for area in AREAS:
        by_name = bool(area.event_names & names)
        by_source = area.source in sources and api_calls and not names
        by_identity = area.identity_type in identities
        if by_name or by_source or by_identity:
            watched.append(area.name)
    return watched


@aggregate_policy(
    "aws.events.security_alerts",
    resource_types=["aws.events.rule"],
    title="EventBridge alerts on security-relevant changes",
    severity="high",
    required=True,
)
def security_alerts(resources: Resources, ctx: Context) -> Iterator[Verdict]:
    """Enabled rules with targets must together watch CloudTrail changes, security group changes, IAM policy
    changes and root user activity. Each rule watching one of these is judged on whether it can alert."""
    covered: set[str] = set()
    for rule in resources.of("aws.events.rule"):
        attrs = rule.attributes
        name = attrs.get("name") or rule.id
        watched = _areas_watched(attrs.get("event_pattern") or {})
        if not watched:
            yield not_applicable(f"rule {name} watches none of the security areas", rule.id)
            continue
        what = ", ".join(watched)
        if not attrs.get("enabled", True):
            yield failed(f"rule {name} watches {what} but is disabled; expected it enabled", rule.id)
        elif int(attrs.get("target_count") or 0) < 1:
            yield failed(f"rule {name} watches {what} but has no target to alert; expected a target", rule.id)
        else:
            covered.update(watched)
            yield passed(f"rule {name} alerts on {what}", rule.id)
    uncovered = [a.name for a in AREAS if a.name not in covered]
    if uncovered:
        yield failed(f"no enabled rule with a target alerts on {', '.join(uncovered)}")
    else:
        yield passed("enabled rules with targets alert on every security area")
