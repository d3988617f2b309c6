"""S3 buckets (with their sibling configuration resources), account-wide S3 BPA and EBS default encryption."""

from __future__ import annotations

from typing import Any

from collectors.terraform.mapping.aws_common import (
    bucket_name,
    compact,
    integer,
    json_document,
    resolve_bucket_refs,
    tags,
    text,
    upper,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource

BPA_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def _siblings(res: TfResource, model: TfModel, child_type: str) -> list[TfResource]:
    return model.children(res, child_type, "bucket", match_values=[res.values.get("bucket")])


def _sibling(res: TfResource, model: TfModel, child_type: str) -> TfResource | None:
    found = _siblings(res, model, child_type)
    return found[0] if found else None


def _encryption(res: TfResource, model: TfModel) -> dict[str, Any]:
    sibling = _sibling(res, model, "aws_s3_bucket_server_side_encryption_configuration")
    if sibling is not None:
        rules = sibling.blocks("rule")
    else:  # the provider's v3-style inline block, still accepted by v5
        rules = res.blocks("rule", source=res.block("server_side_encryption_configuration"))
    if not rules:
        return {}  # S3 encrypts every new object with SSE-S3 (AES256) by default
    rule = rules[0]
    default = res.block("apply_server_side_encryption_by_default", source=rule)
    bucket_key = known(rule.get("bucket_key_enabled"))
    return compact(
        {
            "algorithm": known(default.get("sse_algorithm")),
            "kms_key_id": text(default.get("kms_master_key_id")),
            "bucket_key_enabled": None if bucket_key is None else flag(bucket_key),
        }
    )


def _public_access_block(res: TfResource, model: TfModel) -> dict[str, bool] | None:
    sibling = _sibling(res, model, "aws_s3_bucket_public_access_block")
    if sibling is None:
        return None
    return {name: flag(sibling.values.get(name)) for name in BPA_FLAGS}


def _versioning(res: TfResource, model: TfModel) -> dict[str, Any]:
    sibling = _sibling(res, model, "aws_s3_bucket_versioning")
    if sibling is not None:
        config = sibling.block("versioning_configuration")
        mfa = upper(config.get("mfa_delete"))
        return compact(
            {
                "versioning_enabled": upper(config.get("status")) == "ENABLED",
                "mfa_delete": None if mfa is None else mfa == "ENABLED",
            }
        )
    legacy = res.block("versioning")
    if not legacy:
        return {}
    return {"versioning_enabled": flag(legacy.get("enabled")), "mfa_delete": flag(legacy.get("mfa_delete"))}


def _logging(res: TfResource, model: TfModel) -> dict[str, Any] | None:
    sibling = _sibling(res, model, "aws_s3_bucket_logging")
    config = sibling.values if sibling is not None else res.block("logging")
    if not config:
        return None
    target = text(config.get("target_bucket"))
    return compact(
        {
            "target_bucket": resolve_bucket_refs(target, model) if target else None,
            "target_prefix": text(config.get("target_prefix")),
        }
    )


def _object_lock(res: TfResource, model: TfModel) -> dict[str, Any] | None:
    sibling = _sibling(res, model, "aws_s3_bucket_object_lock_configuration")
    legacy = res.block("object_lock_configuration")
    enabled = (
        flag(res.values.get("object_lock_enabled"))
        or upper(legacy.get("object_lock_enabled")) == "ENABLED"
        or (sibling is not None and upper(sibling.get("object_lock_enabled", "Enabled")) == "ENABLED")
    )
    source = sibling.values if sibling is not None else legacy
    retention = res.block("default_retention", source=res.block("rule", source=source))
    if not enabled and not retention:
        return None
    return compact(
        {
            "enabled": enabled,
            "mode": upper(retention.get("mode")),
            "days": integer(retention.get("days")),
            "years": integer(retention.get("years")),
        }
    )


def _lifecycle_rule(res: TfResource, rule: dict[str, Any], legacy: bool) -> dict[str, Any]:
    expiration = res.block("expiration", source=rule)
    noncurrent = res.block("noncurrent_version_expiration", source=rule)
    if legacy:
        enabled = flag(rule.get("enabled"), default=True)
        noncurrent_days = integer(noncurrent.get("days"))
    else:
        enabled = upper(rule.get("status")) != "DISABLED"
        noncurrent_days = integer(noncurrent.get("noncurrent_days"))
    return compact(
        {
            "id": text(rule.get("id")),
            "enabled": enabled,
            "expiration_days": integer(expiration.get("days")),
            "noncurrent_expiration_days": noncurrent_days,
        }
    )


def _lifecycle_rules(res: TfResource, model: TfModel) -> list[dict[str, Any]]:
    rules = [
        _lifecycle_rule(res, rule, legacy=False)
        for sibling in _siblings(res, model, "aws_s3_bucket_lifecycle_configuration")
        for rule in sibling.blocks("rule")
    ]
    rules.extend(_lifecycle_rule(res, rule, legacy=True) for rule in res.blocks("lifecycle_rule"))
    return rules


def _policy(res: TfResource, model: TfModel) -> dict[str, Any] | None:
    sibling = _sibling(res, model, "aws_s3_bucket_policy")
    return json_document(sibling.values.get("policy") if sibling is not None else res.values.get("policy"))


@mapper("aws_s3_bucket", snapshot_type="aws.s3.bucket", name_attribute="name")
def s3_bucket(res: TfResource, model: TfModel) -> dict[str, Any]:
    return compact(
        {
            "name": bucket_name(res),
            "tags": tags(res),
            "encryption": _encryption(res, model),
            "public_access_block": _public_access_block(res, model),
            **_versioning(res, model),
            "logging": _logging(res, model),
            "object_lock": _object_lock(res, model),
            "lifecycle_rules": _lifecycle_rules(res, model),
            "policy": _policy(res, model),
        }
    )


@mapper("aws_s3_account_public_access_block", snapshot_type="aws.s3.account_public_access_block")
def s3_account_public_access_block(res: TfResource, model: TfModel) -> dict[str, Any]:
    attributes: dict[str, Any] = {name: flag(res.values.get(name)) for name in BPA_FLAGS}
    attributes["account_id"] = text(res.values.get("account_id"))
    return compact(attributes)


@mapper("aws_ebs_encryption_by_default", snapshot_type="aws.ec2.ebs_encryption_by_default")
def ebs_encryption_by_default(res: TfResource, model: TfModel) -> dict[str, Any]:
    return {"enabled": flag(res.values.get("enabled"), default=True)}  # the provider's default is true
