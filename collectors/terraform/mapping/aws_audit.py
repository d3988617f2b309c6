"""Account-level controls: IAM password policy and policies, GuardDuty, Config, log groups, EventBridge."""

from __future__ import annotations

from typing import Any

from collectors.terraform.mapping.aws_common import (
    compact,
    integer,
    json_document,
    name_or_address,
    tags,
    text,
    upper,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource

# GuardDuty's legacy `datasources` blocks, by the feature name the detector API reports for each.
_DATASOURCE_FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("S3_DATA_EVENTS", ("s3_logs",)),
    ("EKS_AUDIT_LOGS", ("kubernetes", "audit_logs")),
    ("EBS_MALWARE_PROTECTION", ("malware_protection", "scan_ec2_instance_with_findings", "ebs_volumes")),
)


@mapper("aws_iam_account_password_policy", snapshot_type="aws.iam.password_policy")
def iam_password_policy(res: TfResource, model: TfModel) -> dict[str, Any]:
    max_age = integer(res.values.get("max_password_age"))
    return compact(
        {
            # The provider sends 6 when minimum_password_length is unset.
            "minimum_password_length": integer(res.get("minimum_password_length", 6)),
            "require_symbols": flag(res.values.get("require_symbols")),
            "require_numbers": flag(res.values.get("require_numbers")),
            "require_uppercase": flag(res.values.get("require_uppercase_characters")),
            "require_lowercase": flag(res.values.get("require_lowercase_characters")),
            "max_password_age": max_age or None,  # 0: passwords never expire
            "password_reuse_prevention": integer(res.values.get("password_reuse_prevention")),
            "hard_expiry": flag(res.values.get("hard_expiry")),
        }
    )


@mapper(
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    snapshot_type="aws.iam.policy",
    name_attribute="name",
)
def iam_policy(res: TfResource, model: TfModel) -> dict[str, Any]:
    return compact(
        {
            "name": text(res.values.get("name")),
            "kind": "managed" if res.type == "aws_iam_policy" else "inline",
            "document": json_document(res.values.get("policy")),
        }
    )


def _datasource_features(res: TfResource) -> dict[str, bool]:
    features: dict[str, bool] = {}
    for feature, path in _DATASOURCE_FEATURES:
        node = res.block("datasources")
        for key in path:
            node = res.block(key, source=node)
        if node:
            features[feature] = flag(node.get("enable"))
    return features


@mapper("aws_guardduty_detector", snapshot_type="aws.guardduty.detector")
def guardduty_detector(res: TfResource, model: TfModel) -> dict[str, Any]:
    features = _datasource_features(res)
    for feature in model.children(res, "aws_guardduty_detector_feature", "detector_id"):
        name = upper(feature.values.get("name"))
        if name:
            features[name] = upper(feature.values.get("status")) == "ENABLED"
    return {"enabled": flag(res.values.get("enable"), default=True), "features": features}


@mapper("aws_config_configuration_recorder", snapshot_type="aws.config.recorder", name_attribute="name")
def config_recorder(res: TfResource, model: TfModel) -> dict[str, Any]:
    name = text(res.get("name", "default"))  # the provider's default recorder name
    group = res.block("recording_group")
    statuses = model.children(res, "aws_config_configuration_recorder_status", "name", match_values=[name])
    return compact(
        {
            "name": name,
            "all_supported": flag(group.get("all_supported"), default=True),
            "include_global_resource_types": flag(group.get("include_global_resource_types")),
            "recording": any(flag(status.values.get("is_enabled")) for status in statuses),
        }
    )


@mapper("aws_cloudwatch_log_group", snapshot_type="aws.logs.log_group", name_attribute="name")
def log_group(res: TfResource, model: TfModel) -> dict[str, Any]:
    return compact(
        {
            "name": name_or_address(res, "name"),
            "retention_in_days": integer(res.values.get("retention_in_days")) or None,  # 0: never expire
            "kms_key_id": text(res.values.get("kms_key_id")),
            "tags": tags(res),
        }
    )


def _rule_enabled(res: TfResource) -> bool:
    state = upper(res.values.get("state"))
    if state is not None:
        return state != "DISABLED"  # ENABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
    return flag(res.values.get("is_enabled"), default=True)


@mapper("aws_cloudwatch_event_rule", snapshot_type="aws.events.rule", name_attribute="name")
def event_rule(res: TfResource, model: TfModel) -> dict[str, Any]:
    name = text(res.values.get("name"))
    targets = model.children(res, "aws_cloudwatch_event_target", "rule", match_values=[name])
    return compact(
        {
            "name": name,
            "enabled": _rule_enabled(res),
            "event_pattern": json_document(known(res.values.get("event_pattern"))),
            "target_count": len(targets),
        }
    )
