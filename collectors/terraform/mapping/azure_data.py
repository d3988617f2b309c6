"""azurerm data stores: storage accounts, Key Vaults and PostgreSQL flexible servers.

Attribute names follow azurerm v4; the v2/v3 names of renamed attributes are read too.
"""

from __future__ import annotations

from typing import Any

from collectors.terraform.mapping.azure_common import (
    diagnostic_categories,
    first_set,
    integer,
    linked,
    present,
    resource_group_name,
    text,
    with_known,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource

STORAGE_ARM = "Microsoft.Storage/storageAccounts"
KEY_VAULT_ARM = "Microsoft.KeyVault/vaults"
POSTGRES_ARM = "Microsoft.DBforPostgreSQL/flexibleServers"


def _storage_children(res: TfResource, model: TfModel, child_type: str) -> list[TfResource]:
    return linked(model, res, child_type, ("storage_account_id", "storage_account_name"), STORAGE_ARM)


def _blob_public_access(res: TfResource) -> bool:
    # v3+ `allow_nested_items_to_be_public` defaults to true; v2's `allow_blob_public_access` to false.
    if res.get("allow_nested_items_to_be_public") is not None:
        return flag(res.get("allow_nested_items_to_be_public"), default=True)
    if res.get("allow_blob_public_access") is not None:
        return flag(res.get("allow_blob_public_access"), default=False)
    return True


def _storage_network_default_action(res: TfResource, model: TfModel) -> str | None:
    actions = [text(b.get("default_action")) for b in res.blocks("network_rules")]
    for rules in _storage_children(res, model, "azurerm_storage_account_network_rules"):
        actions.append(text(rules.get("default_action")))
    known_actions = [a for a in actions if a]
    if not actions:
        return "Allow"
    return known_actions[-1] if known_actions else None


def _blob_soft_delete_days(res: TfResource) -> int | None:
    blob = res.block("blob_properties")
    policies = res.blocks("delete_retention_policy", source=blob)
    if not policies:
        return None
    days = policies[0].get("days")
    return 7 if days is None else integer(days)  # the provider's default retention when the block is written


@mapper("azurerm_storage_account", snapshot_type="azure.storage.account", name_attribute="name")
def storage_account(res: TfResource, model: TfModel) -> dict[str, Any]:
    cmk = present(res, "customer_managed_key") or bool(
        _storage_children(res, model, "azurerm_storage_account_customer_managed_key")
    )
    attrs: dict[str, Any] = {
        "name": res.get("name", res.name),
        "https_only": flag(first_set(res, "https_traffic_only_enabled", "enable_https_traffic_only"), True),
        "allow_blob_public_access": _blob_public_access(res),
        "public_network_access_enabled": flag(res.get("public_network_access_enabled"), default=True),
        "infrastructure_encryption_enabled": flag(res.get("infrastructure_encryption_enabled")),
        "customer_managed_key": cmk,
        "shared_access_key_enabled": flag(res.get("shared_access_key_enabled"), default=True),
        "diagnostic_categories": diagnostic_categories(res, model, STORAGE_ARM),
        "tags": res.mapping("tags"),
    }
    return with_known(
        attrs,
        resource_group=resource_group_name(res, model),
        min_tls_version=text(res.get("min_tls_version")),
        network_default_action=_storage_network_default_action(res, model),
        replication_type=text(res.get("account_replication_type")),
        blob_soft_delete_days=_blob_soft_delete_days(res),
    )


@mapper("azurerm_key_vault", snapshot_type="azure.keyvault.vault", name_attribute="name")
def key_vault(res: TfResource, model: TfModel) -> dict[str, Any]:
    acls = res.block("network_acls")
    attrs: dict[str, Any] = {
        "name": res.get("name", res.name),
        "purge_protection_enabled": flag(res.get("purge_protection_enabled")),
        "public_network_access_enabled": flag(res.get("public_network_access_enabled"), default=True),
        # `rbac_authorization_enabled` since v4.42; `enable_rbac_authorization` before.
        "rbac_authorization_enabled": flag(
            first_set(res, "rbac_authorization_enabled", "enable_rbac_authorization")
        ),
        "diagnostic_categories": diagnostic_categories(res, model, KEY_VAULT_ARM),
        "tags": res.mapping("tags"),
    }
    return with_known(
        attrs,
        soft_delete_retention_days=integer(res.get("soft_delete_retention_days")),
        network_default_action=text(acls.get("default_action")) if acls else "Allow",
    )


def _postgres_configurations(res: TfResource, model: TfModel) -> dict[str, str]:
    found: dict[str, str] = {}
    children = linked(
        model, res, "azurerm_postgresql_flexible_server_configuration", ("server_id",), POSTGRES_ARM
    )
    for conf in children:
        name, value = text(conf.get("name")), text(conf.get("value"))
        if name is not None and value is not None:
            found[name] = value
    return found


def _postgres_public_access(res: TfResource) -> bool:
    # Defaults to true, except that a server injected into a delegated subnet has no public endpoint.
    explicit = res.get("public_network_access_enabled")
    if known(explicit) is not None:
        return flag(explicit)
    return res.get("delegated_subnet_id") is None


@mapper(
    "azurerm_postgresql_flexible_server",
    snapshot_type="azure.postgresql.flexible_server",
    name_attribute="name",
)
def postgresql_flexible_server(res: TfResource, model: TfModel) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "name": res.get("name", res.name),
        "public_network_access_enabled": _postgres_public_access(res),
        "geo_redundant_backup_enabled": flag(res.get("geo_redundant_backup_enabled")),
        "configurations": _postgres_configurations(res, model),
        "customer_managed_key": present(res, "customer_managed_key"),
        "tags": res.mapping("tags"),
    }
    return with_known(
        attrs,
        version=text(res.get("version")),
        backup_retention_days=integer(res.get("backup_retention_days")),
        high_availability_mode=text(res.block("high_availability").get("mode")),
        create_mode=text(res.get("create_mode")),
    )
