"""Secrets Manager secrets, metadata only (never a value): KMS key, rotation and tags."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import compact, tag_map

SECRET = "aws.secretsmanager.secret"


def secret_attributes(secret: dict[str, Any]) -> dict[str, Any]:
    enabled = bool(secret.get("RotationEnabled"))
    # Rules left behind by a cancelled rotation mean nothing, so they are kept only while rotation is on.
    rules = (secret.get("RotationRules") or {}) if enabled else {}
    return compact(
        {
            "name": secret["Name"],
            "kms_key_id": secret.get("KmsKeyId"),
            "rotation_enabled": enabled,
            "rotation_days": rules.get("AutomaticallyAfterDays") or None,  # 1-1000 when set
            "rotation_schedule": rules.get("ScheduleExpression"),
            "tags": tag_map(secret.get("Tags")),
        }
    )


def secrets(api: Api) -> None:
    for secret in api.items("list_secrets", "SecretList"):
        api.emit(
            SECRET, id=secret["ARN"], name=secret["Name"], attributes=secret_attributes(secret), raw=secret
        )


STEPS = (Step("secretsmanager", (SECRET,), secrets, ("secretsmanager:ListSecrets",)),)
