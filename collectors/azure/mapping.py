"""ARM REST bodies -> azure.* snapshot attributes, meaning what the azurerm mappers mean by the same names.

Where ARM leaves a property out, the value is the one ARM documents for the absent property (a storage
account without `minimumTlsVersion` accepts TLS 1.0, one without `allowSharedKeyAccess` accepts shared
keys), not the Terraform provider's default for an unwritten argument. A value that is None is left out so
the schema default applies.
"""

from __future__ import annotations

import re
from typing import Any

# Server parameters a policy reads are kept with their effective value, explicitly set or not; any other
# parameter only when it was set explicitly ("user-override"), as Terraform configurations are.
POLICY_PARAMETERS = frozenset({"require_secure_transport", "ssl_min_protocol_version"})
REPLICA_ROLES = frozenset({"asyncreplica", "geoasyncreplica"})


def mapping(value: Any, key: str) -> dict[str, Any]:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def props(body: Any) -> dict[str, Any]:
    return mapping(body, "properties")


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if v not in (None, "")] if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def known(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None}


def resource_group(arm_id: Any) -> str | None:
    match = re.search(r"/resourceGroups/([^/]+)", str(arm_id or ""), re.IGNORECASE)
    return match.group(1) if match else None


def tags(body: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in mapping(body, "tags").items() if v is not None}


def log_categories(settings: list[dict[str, Any]]) -> list[str]:
    """Log categories (or category groups) the diagnostic settings send, counting enabled entries only."""
    found: set[str] = set()
    for setting in settings:
        for log in _items(props(setting).get("logs")):
            category = log.get("category") or log.get("categoryGroup")
            if category and log.get("enabled", True) is not False:
                found.add(str(category))
    return sorted(found)


def _replication(sku: Any) -> str | None:
    name = mapping({"sku": sku}, "sku").get("name")
    return str(name).split("_", 1)[-1] if name else None  # Standard_GZRS -> GZRS


def _soft_delete_days(blob_service: dict[str, Any] | None) -> int | None:
    policy = mapping(props(blob_service), "deleteRetentionPolicy")
    return _int(policy.get("days")) if policy.get("enabled") is True else None


def storage_account(
    account: dict[str, Any], blob_service: dict[str, Any] | None, settings: list[dict[str, Any]]
) -> dict[str, Any]:
    p = props(account)
    encryption = mapping(p, "encryption")
    return known(
        {
            "name": account.get("name"),
            "resource_group": resource_group(account.get("id")),
            "min_tls_version": p.get("minimumTlsVersion") or "TLS1_0",
            "https_only": p.get("supportsHttpsTrafficOnly") is not False,
            "allow_blob_public_access": p.get("allowBlobPublicAccess") is True,
            "public_network_access_enabled": p.get("publicNetworkAccess") != "Disabled",
            "network_default_action": mapping(p, "networkAcls").get("defaultAction") or "Allow",
            "infrastructure_encryption_enabled": encryption.get("requireInfrastructureEncryption") is True,
            "customer_managed_key": str(encryption.get("keySource", "")).lower() == "microsoft.keyvault",
            "shared_access_key_enabled": p.get("allowSharedKeyAccess") is not False,
            "replication_type": _replication(account.get("sku")),
            "blob_soft_delete_days": _soft_delete_days(blob_service),
            "diagnostic_categories": log_categories(settings),
            "tags": tags(account),
        }
    )


def _joined(p: dict[str, Any], single: str, plural: str) -> list[str]:
    return _strings([p.get(single)]) + _strings(p.get(plural))


def nsg_rule(rule: dict[str, Any]) -> dict[str, Any]:
    p = props(rule)
    return known(
        {
            "name": rule.get("name"),
            "direction": p.get("direction"),
            "access": p.get("access"),
            "protocol": p.get("protocol"),
            "priority": _int(p.get("priority")),
            "source_address_prefixes": _joined(p, "sourceAddressPrefix", "sourceAddressPrefixes"),
            "destination_port_ranges": _joined(p, "destinationPortRange", "destinationPortRanges"),
        }
    )


def _retention_days(flow_log: dict[str, Any]) -> int | None:
    """Days flow records are kept; 0 when retention is off, because Azure then never deletes them."""
    policy = mapping(props(flow_log), "retentionPolicy")
    enabled = policy.get("enabled")
    if enabled is None:
        return None
    return _int(policy.get("days")) if enabled is True else 0


def flow_log_state(flow_logs: list[dict[str, Any]]) -> tuple[bool, int | None]:
    """(enabled, retention days) over the flow logs targeting one NSG; the longest retention wins."""
    enabled = [log for log in flow_logs if props(log).get("enabled") is True]
    if not enabled:
        return False, None
    days = [d for d in map(_retention_days, enabled) if d is not None]
    if not days:
        return True, None
    return True, 0 if 0 in days else max(days)


def network_security_group(nsg: dict[str, Any], flow_logs: list[dict[str, Any]]) -> dict[str, Any]:
    """Rules written on the NSG (ARM's defaultSecurityRules are left out, as Terraform never states them)."""
    flow_log_enabled, retention = flow_log_state(flow_logs)
    return known(
        {
            "name": nsg.get("name"),
            "resource_group": resource_group(nsg.get("id")),
            "security_rules": [nsg_rule(r) for r in _items(props(nsg).get("securityRules"))],
            "flow_log_enabled": flow_log_enabled,
            "flow_log_retention_days": retention,
            "tags": tags(nsg),
        }
    )


def aks_cluster(cluster: dict[str, Any], settings: list[dict[str, Any]]) -> dict[str, Any]:
    p = props(cluster)
    security, aad = mapping(p, "securityProfile"), mapping(p, "aadProfile")
    access = mapping(p, "apiServerAccessProfile")
    monitoring = mapping(mapping(security, "defender"), "securityMonitoring")
    return known(
        {
            "name": cluster.get("name"),
            "kubernetes_version": p.get("kubernetesVersion"),
            "kms_enabled": mapping(security, "azureKeyVaultKms").get("enabled") is True,
            "private_cluster_enabled": access.get("enablePrivateCluster") is True,
            "authorized_ip_ranges": _strings(access.get("authorizedIPRanges")),
            "rbac_enabled": p.get("enableRBAC") is not False,
            "azure_rbac_enabled": aad.get("enableAzureRBAC") is True,
            "entra_integrated": bool(aad),
            "local_account_disabled": p.get("disableLocalAccounts") is True,
            "network_policy": mapping(p, "networkProfile").get("networkPolicy"),
            "automatic_upgrade_channel": mapping(p, "autoUpgradeProfile").get("upgradeChannel"),
            "defender_enabled": monitoring.get("enabled") is True,
            "diagnostic_categories": log_categories(settings),
            "tags": tags(cluster),
        }
    )


def server_configurations(configurations: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for conf in configurations:
        name, p = conf.get("name"), props(conf)
        if not name or p.get("value") is None:
            continue
        if name in POLICY_PARAMETERS or p.get("source") == "user-override":
            found[str(name)] = str(p["value"])
    return found


def _public_access(p: dict[str, Any]) -> bool:
    network = mapping(p, "network")
    state = network.get("publicNetworkAccess")
    if state is not None:
        return str(state) == "Enabled"
    return not network.get("delegatedSubnetResourceId")  # a VNet-injected server has no public endpoint


def _is_replica(p: dict[str, Any]) -> bool:
    role = p.get("replicationRole") or mapping(p, "replica").get("role")
    return str(role or "").lower() in REPLICA_ROLES or bool(p.get("sourceServerResourceId"))


def postgres_server(server: dict[str, Any], configurations: list[dict[str, Any]]) -> dict[str, Any]:
    p = props(server)
    backup, mode = mapping(p, "backup"), mapping(p, "highAvailability").get("mode")
    return known(
        {
            "name": server.get("name"),
            "version": None if p.get("version") is None else str(p["version"]),
            "public_network_access_enabled": _public_access(p),
            "backup_retention_days": _int(backup.get("backupRetentionDays")),
            "geo_redundant_backup_enabled": backup.get("geoRedundantBackup") == "Enabled",
            "high_availability_mode": None if mode in (None, "Disabled") else str(mode),
            "create_mode": "Replica" if _is_replica(p) else None,
            "configurations": server_configurations(configurations),
            "customer_managed_key": mapping(p, "dataEncryption").get("type") == "AzureKeyVault",
            "tags": tags(server),
        }
    )


def key_vault(vault: dict[str, Any], settings: list[dict[str, Any]]) -> dict[str, Any]:
    p = props(vault)
    return known(
        {
            "name": vault.get("name"),
            "purge_protection_enabled": p.get("enablePurgeProtection") is True,
            "soft_delete_retention_days": _int(p.get("softDeleteRetentionInDays")),
            "public_network_access_enabled": p.get("publicNetworkAccess") != "Disabled",
            "network_default_action": mapping(p, "networkAcls").get("defaultAction") or "Allow",
            "rbac_authorization_enabled": p.get("enableRbacAuthorization") is True,
            "diagnostic_categories": log_categories(settings),
            "tags": tags(vault),
        }
    )


def defender_plan(pricing: dict[str, Any]) -> dict[str, Any]:
    return known({"resource_type": pricing.get("name"), "tier": props(pricing).get("pricingTier")})
