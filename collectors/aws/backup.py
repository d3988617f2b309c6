"""AWS Backup vaults with their Vault Lock: locked, mode and minimum retention."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import compact, tag_map

VAULT = "aws.backup.vault"


def vault_attributes(vault: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    locked = bool(vault.get("Locked")) or vault.get("MinRetentionDays") is not None
    # A lock with a LockDate becomes immutable then (compliance mode); without one it stays removable
    # by privileged users (governance mode), as Terraform's lock without changeable_for_days.
    mode = ("compliance" if vault.get("LockDate") else "governance") if locked else None
    return compact(
        {
            "name": vault["BackupVaultName"],
            "locked": locked,
            "lock_mode": mode,
            "min_retention_days": vault.get("MinRetentionDays"),
            "kms_key_arn": vault.get("EncryptionKeyArn"),
            "tags": tags,
        }
    )


def vaults(api: Api) -> None:
    for vault in api.items("list_backup_vaults", "BackupVaultList"):
        arn = str(vault["BackupVaultArn"])
        with api.isolated(arn):
            tags = tag_map(api.call("list_tags", ResourceArn=arn).get("Tags"))
            api.emit(
                VAULT,
                id=arn,
                name=vault["BackupVaultName"],
                attributes=vault_attributes(vault, tags),
                raw={"vault": vault, "tags": tags},
            )


STEPS = (Step("backup", (VAULT,), vaults, ("backup:ListBackupVaults", "backup:ListTags")),)
