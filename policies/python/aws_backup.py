"""AWS Backup vaults."""

from __future__ import annotations

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, passed
from policies.sdk import policy


@policy(
    "aws.backup.vault_locked",
    resource_types=["aws.backup.vault"],
    title="A backup vault is locked in compliance mode",
    severity="high",
    required=True,
)
def vault_locked(vault: ResourceSnapshot, ctx: Context) -> Verdict:
    """Vault Lock in compliance mode keeps recovery points from early deletion, even by administrators."""
    attrs = vault.attributes
    if not attrs.get("locked"):
        return failed("vault lock is not configured; expected a compliance-mode vault lock")
    mode = str(attrs.get("lock_mode") or "governance")
    if mode.lower() != "compliance":
        return failed(
            f"vault lock is in {mode} mode, which privileged users can remove; expected compliance mode"
        )
    return passed("vault lock is in compliance mode")
