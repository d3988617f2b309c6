"""S3: each bucket's configuration, read in the bucket's own region, and the account-wide public access block.

The bucket listing is global; each bucket's reads run as their own work item on the pool, so one slow or
refused bucket neither serialises nor hides the others. A "not configured" answer (NoSuch...) is the
AWS default for that setting, as the Terraform mapper reads an absent sibling resource.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, json_object, tag_map

BUCKET = "aws.s3.bucket"
ACCOUNT_BLOCK = "aws.s3.account_public_access_block"

BLOCK_FLAGS = (
    ("block_public_acls", "BlockPublicAcls"),
    ("block_public_policy", "BlockPublicPolicy"),
    ("ignore_public_acls", "IgnorePublicAcls"),
    ("restrict_public_buckets", "RestrictPublicBuckets"),
)

# (part of the raw record, operation, error codes that mean "not configured")
_BUCKET_READS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("encryption", "get_bucket_encryption", ("ServerSideEncryptionConfigurationNotFoundError",)),
    ("public_access_block", "get_public_access_block", ("NoSuchPublicAccessBlockConfiguration",)),
    ("versioning", "get_bucket_versioning", ()),
    ("logging", "get_bucket_logging", ()),
    ("object_lock", "get_object_lock_configuration", ("ObjectLockConfigurationNotFoundError",)),
    ("lifecycle", "get_bucket_lifecycle_configuration", ("NoSuchLifecycleConfiguration",)),
    ("policy", "get_bucket_policy", ("NoSuchBucketPolicy",)),
    ("tagging", "get_bucket_tagging", ("NoSuchTagSet",)),
)

# GetBucketLocation's legacy answers: none for us-east-1, "EU" for eu-west-1.
_LEGACY_LOCATIONS = {"": "us-east-1", "EU": "eu-west-1"}


def block_flags(config: dict[str, Any]) -> dict[str, bool]:
    return {name: bool(config.get(key, False)) for name, key in BLOCK_FLAGS}


def _encryption(response: dict[str, Any] | None) -> dict[str, Any]:
    rules = ((response or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    if not rules:
        return {}  # S3 encrypts every new object with SSE-S3 (AES256) by default
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    return compact(
        {
            "algorithm": default.get("SSEAlgorithm"),
            "kms_key_id": default.get("KMSMasterKeyID"),
            "bucket_key_enabled": rules[0].get("BucketKeyEnabled"),
        }
    )


def _versioning(response: dict[str, Any]) -> dict[str, Any]:
    mfa = response.get("MFADelete")
    return compact(
        {
            "versioning_enabled": response.get("Status") == "Enabled",
            "mfa_delete": None if mfa is None else mfa == "Enabled",
        }
    )


def _logging(response: dict[str, Any]) -> dict[str, Any] | None:
    enabled = response.get("LoggingEnabled")
    if not enabled:
        return None
    return compact(
        {"target_bucket": enabled.get("TargetBucket"), "target_prefix": enabled.get("TargetPrefix")}
    )


def _object_lock(response: dict[str, Any] | None) -> dict[str, Any] | None:
    config = (response or {}).get("ObjectLockConfiguration") or {}
    retention = (config.get("Rule") or {}).get("DefaultRetention") or {}
    enabled = config.get("ObjectLockEnabled") == "Enabled"
    if not enabled and not retention:
        return None
    return compact(
        {
            "enabled": enabled,
            "mode": retention.get("Mode"),
            "days": retention.get("Days") or None,  # a retention is in days or years; 0 is neither
            "years": retention.get("Years") or None,
        }
    )


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    return compact(
        {
            "id": rule.get("ID"),
            "enabled": rule.get("Status") != "Disabled",
            "expiration_days": (rule.get("Expiration") or {}).get("Days"),
            "noncurrent_expiration_days": (rule.get("NoncurrentVersionExpiration") or {}).get(
                "NoncurrentDays"
            ),
        }
    )


def bucket_attributes(name: str, raw: dict[str, Any]) -> dict[str, Any]:
    block = raw["public_access_block"]
    return compact(
        {
            "name": name,
            "tags": tag_map((raw["tagging"] or {}).get("TagSet")),
            "encryption": _encryption(raw["encryption"]),
            "public_access_block": block_flags(block["PublicAccessBlockConfiguration"]) if block else None,
            **_versioning(raw["versioning"]),
            "logging": _logging(raw["logging"]),
            "object_lock": _object_lock(raw["object_lock"]),
            "lifecycle_rules": [_lifecycle_rule(r) for r in (raw["lifecycle"] or {}).get("Rules") or ()],
            "policy": json_object((raw["policy"] or {}).get("Policy")),
        }
    )


def _region(api: Api, bucket: dict[str, Any]) -> str:
    if bucket.get("BucketRegion"):
        return str(bucket["BucketRegion"])
    location = api.call("get_bucket_location", Bucket=bucket["Name"]).get("LocationConstraint") or ""
    return _LEGACY_LOCATIONS.get(location, location)


def _read_bucket(api: Api, bucket: dict[str, Any]) -> None:
    name = str(bucket["Name"])
    arn = f"arn:{api.run.partition}:s3:::{name}"
    with api.isolated(arn):
        region = _region(api, bucket)
        raw: dict[str, Any] = {"bucket": bucket}
        for part, operation, absent in _BUCKET_READS:
            found = api.lookup(operation, absent=absent, region=region, Bucket=name)
            raw[part] = None if found is None else body(found)
        api.emit(BUCKET, id=arn, name=name, region=region, attributes=bucket_attributes(name, raw), raw=raw)


def buckets(api: Api) -> None:
    for bucket in api.items("list_buckets", "Buckets"):
        api.spawn(partial(_read_bucket, api, bucket))


def account_block(api: Api) -> None:
    """No configuration means no snapshot: the account-level policy then reports the block as missing."""
    absent = ("NoSuchPublicAccessBlockConfiguration",)
    found = api.lookup("get_public_access_block", absent=absent, AccountId=api.account)
    if found is None:
        return
    attributes: dict[str, Any] = {
        **block_flags(found["PublicAccessBlockConfiguration"]),
        "account_id": api.account,
    }
    api.emit(
        ACCOUNT_BLOCK,
        id=api.arn("s3", "account-public-access-block", region=""),
        attributes=attributes,
        raw=body(found),
    )


STEPS = (
    Step(
        "s3",
        (BUCKET,),
        buckets,
        (
            "s3:ListBuckets",
            "s3:GetBucketLocation",
            "s3:GetBucketEncryption",
            "s3:GetPublicAccessBlock",
            "s3:GetBucketVersioning",
            "s3:GetBucketLogging",
            "s3:GetObjectLockConfiguration",
            "s3:GetBucketLifecycleConfiguration",
            "s3:GetBucketPolicy",
            "s3:GetBucketTagging",
        ),
        is_global=True,
    ),
    Step("s3control", (ACCOUNT_BLOCK,), account_block, ("s3control:GetPublicAccessBlock",), is_global=True),
)
