"""KMS keys: metadata, automatic rotation and tags. AWS-managed keys are recorded too (key_manager AWS)."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, tag_map

KEY = "aws.kms.key"

# Keys in these states answer GetKeyRotationStatus with KMSInvalidStateException: rotation is not running.
_NO_ROTATION_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion", "PendingImport", "Unavailable"})
_ROTATION_UNKNOWN = ("KMSInvalidStateException", "UnsupportedOperationException")


def _rotatable(meta: dict[str, Any]) -> bool:
    """KMS rotates only symmetric encryption keys whose material it generated."""
    return (
        meta.get("KeyUsage", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"
        and meta.get("KeySpec", meta.get("CustomerMasterKeySpec")) == "SYMMETRIC_DEFAULT"
        and meta.get("Origin", "AWS_KMS") == "AWS_KMS"
        and meta.get("KeyState") not in _NO_ROTATION_STATES
    )


def key_attributes(meta: dict[str, Any], rotation: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            "description": meta.get("Description") or None,
            "key_usage": meta.get("KeyUsage"),
            "key_spec": meta.get("KeySpec") or meta.get("CustomerMasterKeySpec"),
            "key_manager": meta.get("KeyManager"),
            "enabled": bool(meta.get("Enabled")),
            "rotation_enabled": bool(rotation.get("KeyRotationEnabled")),
            "rotation_period_days": rotation.get("RotationPeriodInDays"),
            # KMS reports the deletion window only once deletion is scheduled.
            "deletion_window_days": meta.get("PendingDeletionWindowInDays"),
            "multi_region": bool(meta.get("MultiRegion")),
            "tags": tags,
        }
    )


def _read_key(api: Api, key_id: str) -> None:
    meta = api.call("describe_key", KeyId=key_id)["KeyMetadata"]
    rotation: dict[str, Any] = {}
    if _rotatable(meta):
        rotation = body(api.lookup("get_key_rotation_status", absent=_ROTATION_UNKNOWN, KeyId=key_id) or {})
    tags: dict[str, str] = {}
    if meta.get("KeyManager") == "CUSTOMER":
        for tag_page in api.pages("list_resource_tags", KeyId=key_id):
            tags.update(tag_map(tag_page.get("Tags"), key="TagKey", value="TagValue"))
    api.emit(
        KEY,
        id=meta["Arn"],
        attributes=key_attributes(meta, rotation, tags),
        raw={"key": meta, "rotation": rotation, "tags": tags},
    )


def keys(api: Api) -> None:
    for key in api.items("list_keys", "Keys"):
        with api.isolated(str(key.get("KeyArn") or key["KeyId"])):
            _read_key(api, str(key["KeyId"]))


STEPS = (
    Step(
        "kms",
        (KEY,),
        keys,
        ("kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags"),
    ),
)
