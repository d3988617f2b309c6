"""azurerm mappers, read end to end from small .tf fixtures (and plan-shaped values built by hand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from collectors.snapshot import ResourceSnapshot
from collectors.terraform import TfModel, TfResource, read_terraform, to_snapshots
from collectors.terraform.model import UNKNOWN

FIXTURES = Path(__file__).parent / "fixtures" / "azure"


def _read(case: str) -> dict[str, ResourceSnapshot]:
    result = read_terraform(FIXTURES / case)
    assert result.problems == []
    return {s.id: s for s in result.snapshots}


@pytest.fixture(scope="module")
def storage() -> dict[str, dict[str, Any]]:
    return {k: s.attributes for k, s in _read("storage").items()}


def test_storage_account_v4_names_and_siblings(storage: dict[str, dict[str, Any]]) -> None:
    sa = storage["azurerm_storage_account.hardened"]
    assert sa["resource_group"] == "rg-data"  # read through the azurerm_resource_group reference
    assert (sa["min_tls_version"], sa["https_only"], sa["allow_blob_public_access"]) == (
        "TLS1_2",
        True,
        False,
    )
    assert (sa["public_network_access_enabled"], sa["network_default_action"]) == (False, "Deny")
    assert sa["infrastructure_encryption_enabled"] and not sa["shared_access_key_enabled"]
    assert sa["customer_managed_key"] is True  # from azurerm_storage_account_customer_managed_key
    assert (sa["replication_type"], sa["blob_soft_delete_days"]) == ("GZRS", 30)
    assert sa["tags"] == {"data_category": "personal", "ropa_id": "ROPA-007"}


def test_storage_diagnostics_on_blob_service_count_for_the_account(
    storage: dict[str, dict[str, Any]],
) -> None:
    assert storage["azurerm_storage_account.hardened"]["diagnostic_categories"] == ["StorageWrite", "audit"]


def test_storage_account_older_names_and_literal_joins(storage: dict[str, dict[str, Any]]) -> None:
    sa = storage["azurerm_storage_account.legacy"]
    assert (sa["min_tls_version"], sa["https_only"], sa["allow_blob_public_access"]) == (
        "TLS1_0",
        False,
        True,
    )
    assert sa["network_default_action"] == "Deny"  # azurerm_storage_account_network_rules by name
    assert sa["blob_soft_delete_days"] == 7  # an empty delete_retention_policy block keeps 7 days
    # legacy `log` blocks count while enabled; a setting on a same-named account elsewhere does not count
    assert sa["diagnostic_categories"] == ["StorageRead"]


def test_storage_account_unset_attributes_take_provider_defaults(storage: dict[str, dict[str, Any]]) -> None:
    sa = storage["azurerm_storage_account.bare"]
    assert sa["allow_blob_public_access"] is True  # allow_nested_items_to_be_public defaults to true
    assert (sa["https_only"], sa["min_tls_version"], sa["network_default_action"]) == (
        True,
        "TLS1_2",
        "Allow",
    )
    assert (sa["customer_managed_key"], sa["blob_soft_delete_days"], sa["diagnostic_categories"]) == (
        False,
        None,
        [],
    )


def test_nsg_rules_inline_and_standalone_with_flow_log() -> None:
    nsgs = {k: s.attributes for k, s in _read("network").items()}
    web = nsgs["azurerm_network_security_group.web"]
    ssh, https = web["security_rules"]
    assert (ssh["source_address_prefixes"], ssh["destination_port_ranges"], ssh["priority"]) == (
        ["*"],
        ["22"],
        100,
    )
    assert https["name"] == "https-from-offices"
    assert https["source_address_prefixes"] == ["192.0.2.0/24", "198.51.100.0/24"]
    assert https["destination_port_ranges"] == ["443", "8443-8444"]
    assert (web["flow_log_enabled"], web["flow_log_retention_days"]) == (True, 90)


def test_nsg_flow_log_by_target_id_and_disabled_logs() -> None:
    nsgs = {k: s.attributes for k, s in _read("network").items()}
    db = nsgs["azurerm_network_security_group.db"]
    assert (db["flow_log_enabled"], db["flow_log_retention_days"]) == (True, 0)  # retention off: kept forever
    quiet = nsgs["azurerm_network_security_group.quiet"]
    assert (quiet["flow_log_enabled"], quiet["flow_log_retention_days"]) == (False, None)


def test_aks_cluster_v4() -> None:
    aks = _read("aks")["azurerm_kubernetes_cluster.v4"].attributes
    assert aks["kms_enabled"] and aks["entra_integrated"] and aks["azure_rbac_enabled"]
    assert aks["local_account_disabled"] and aks["rbac_enabled"] and aks["defender_enabled"]
    assert (aks["private_cluster_enabled"], aks["authorized_ip_ranges"]) == (False, ["203.0.113.0/24"])
    assert (aks["network_policy"], aks["automatic_upgrade_channel"]) == ("cilium", "patch")
    assert aks["kubernetes_version"] == "1.30"
    assert aks["diagnostic_categories"] == ["kube-apiserver", "kube-audit-admin"]


def test_aks_cluster_v3_names_and_defaults() -> None:
    aks = _read("aks")["azurerm_kubernetes_cluster.v3"].attributes
    assert (aks["authorized_ip_ranges"], aks["automatic_upgrade_channel"]) == (["0.0.0.0/0"], "stable")
    assert aks["rbac_enabled"] is True
    assert not (aks["kms_enabled"] or aks["entra_integrated"] or aks["azure_rbac_enabled"])
    assert not (aks["local_account_disabled"] or aks["defender_enabled"])
    assert (aks["network_policy"], aks["diagnostic_categories"]) == (None, [])


def test_postgresql_primary_and_replica() -> None:
    servers = {k: s.attributes for k, s in _read("postgres").items()}
    primary = servers["azurerm_postgresql_flexible_server.primary"]
    assert primary["configurations"] == {
        "require_secure_transport": "on",
        "ssl_min_protocol_version": "TLSv1.3",
    }
    assert (primary["backup_retention_days"], primary["geo_redundant_backup_enabled"]) == (35, True)
    assert (primary["high_availability_mode"], primary["customer_managed_key"]) == ("ZoneRedundant", True)
    assert (primary["public_network_access_enabled"], primary["version"]) == (False, "16")
    replica = servers["azurerm_postgresql_flexible_server.replica"]
    assert (replica["create_mode"], replica["configurations"], replica["backup_retention_days"]) == (
        "Replica",
        {},
        7,
    )
    assert replica["public_network_access_enabled"] is False  # delegated subnet: no public endpoint


def test_key_vaults_and_defender_plans() -> None:
    read = _read("keyvault")
    current = read["azurerm_key_vault.current"].attributes
    assert (current["purge_protection_enabled"], current["soft_delete_retention_days"]) == (True, 30)
    assert (current["network_default_action"], current["rbac_authorization_enabled"]) == ("Deny", True)
    assert current["diagnostic_categories"] == ["AuditEvent"]
    older = read["azurerm_key_vault.older"].attributes
    assert older["rbac_authorization_enabled"] is True  # enable_rbac_authorization, before v4.42
    assert (older["soft_delete_retention_days"], older["network_default_action"]) == (90, "Allow")
    plans = {s.name: s.attributes["tier"] for s in read.values() if s.type == "azure.security.defender_plan"}
    assert plans == {"Containers": "Standard", "StorageAccounts": "Free", "VirtualMachines": "Standard"}


def _plan_resource(rtype: str, name: str, values: dict[str, Any]) -> TfResource:
    return TfResource(f"{rtype}.{name}", rtype, name, "", values, "plan.json")


def test_plan_shaped_values_empty_strings_blocks_and_unknowns() -> None:
    rule = {
        "name": "rdp",
        "direction": "Inbound",
        "access": "Allow",
        "protocol": "Tcp",
        "priority": 300,
        "source_address_prefix": "",
        "source_address_prefixes": ["Internet"],
        "destination_port_range": "3389",
        "destination_port_ranges": [],
    }
    nsg = _plan_resource("azurerm_network_security_group", "n", {"name": "nsg", "security_rule": [rule]})
    sa = _plan_resource(
        "azurerm_storage_account",
        "s",
        {
            "name": "sa",
            "min_tls_version": UNKNOWN,
            "network_rules": [],
            "customer_managed_key": [],
        },
    )
    snapshots, problems = to_snapshots(TfModel([nsg, sa]))
    assert problems == []
    by_id = {s.id: s for s in snapshots}
    parsed = by_id["azurerm_network_security_group.n"].attributes["security_rules"][0]
    assert (parsed["source_address_prefixes"], parsed["destination_port_ranges"]) == (["Internet"], ["3389"])
    account = by_id["azurerm_storage_account.s"]
    assert account.attributes["min_tls_version"] == "TLS1_2"  # unknown: left to the schema default ...
    assert "min_tls_version" in account.unknown_paths  # ... and recorded as unknown
    assert (account.attributes["network_default_action"], account.attributes["customer_managed_key"]) == (
        "Allow",
        False,
    )
