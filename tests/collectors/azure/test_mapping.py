"""ARM bodies -> attributes where the example recordings do not go: absent properties, legacy settings,
parameter selection, flow log retention; and the target settings the clients are built from."""

from __future__ import annotations

from typing import Any

import pytest
from azure.identity import ClientSecretCredential, EnvironmentCredential

from collectors.azure import mapping
from collectors.azure.clients import StaticTokenCredential, call_options, credential_for
from collectors.runtime import AzureTarget
from tests.collectors.azure.conftest import SUBSCRIPTION, collect


def _storage(**properties: Any) -> dict[str, Any]:
    body = {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa"}
    return {**body, "name": "sa", "sku": {"name": "Standard_RAGRS"}, "properties": properties}


def test_storage_properties_left_out_mean_what_arm_documents() -> None:
    attrs = mapping.storage_account(_storage(), None, [])
    assert attrs["min_tls_version"] == "TLS1_0"  # not the schema's TLS1_2: the account accepts TLS 1.0
    assert attrs["https_only"] is True
    assert attrs["allow_blob_public_access"] is False
    assert attrs["shared_access_key_enabled"] is True
    assert attrs["network_default_action"] == "Allow"
    assert attrs["public_network_access_enabled"] is True
    assert attrs["customer_managed_key"] is False
    assert attrs["replication_type"] == "RAGRS"
    assert attrs["resource_group"] == "rg"
    assert "blob_soft_delete_days" not in attrs  # unknown blob service: the schema default (None)


def test_storage_settings_that_open_the_account() -> None:
    attrs = mapping.storage_account(
        _storage(allowBlobPublicAccess=True, publicNetworkAccess="Disabled", supportsHttpsTrafficOnly=False),
        {"properties": {"deleteRetentionPolicy": {"enabled": False, "days": 7}}},
        [],
    )
    assert (attrs["allow_blob_public_access"], attrs["https_only"]) == (True, False)
    assert attrs["public_network_access_enabled"] is False
    assert "blob_soft_delete_days" not in attrs  # a disabled policy keeps nothing


def test_diagnostic_categories_count_enabled_logs_and_category_groups() -> None:
    settings: list[dict[str, Any]] = [
        {"properties": {"logs": [{"category": "StorageRead", "enabled": True}]}},
        {"properties": {"logs": [{"category": None, "categoryGroup": "audit", "enabled": True}]}},
        {"properties": {"logs": [{"category": "StorageDelete", "enabled": False}], "metrics": []}},
    ]
    assert mapping.log_categories(settings) == ["StorageRead", "audit"]


def _flow_log(enabled: bool, retention: dict[str, Any] | None) -> dict[str, Any]:
    props: dict[str, Any] = {"enabled": enabled}
    if retention is not None:
        props["retentionPolicy"] = retention
    return {"properties": props}


@pytest.mark.parametrize(
    ("logs", "expected"),
    [
        ([], (False, None)),
        ([_flow_log(False, {"enabled": True, "days": 90})], (False, None)),
        ([_flow_log(True, None)], (True, None)),
        ([_flow_log(True, {"enabled": False, "days": 0})], (True, 0)),  # kept forever
        (
            [_flow_log(True, {"enabled": True, "days": 30}), _flow_log(True, {"enabled": True, "days": 400})],
            (True, 400),
        ),
    ],
)
def test_flow_log_state(logs: list[dict[str, Any]], expected: tuple[bool, int | None]) -> None:
    assert mapping.flow_log_state(logs) == expected


def test_nsg_rules_merge_singular_and_plural_fields_and_leave_default_rules_out() -> None:
    rule = {"name": "r", "properties": {"sourceAddressPrefix": "", "sourceAddressPrefixes": ["10.0.0.0/8"],
            "destinationPortRange": "22", "destinationPortRanges": ["3389"], "access": "Allow",
            "direction": "Inbound", "protocol": "Tcp", "priority": 300}}  # fmt: skip
    default = {"name": "DenyAllInBound", "properties": {"priority": 65500}}
    attrs = mapping.network_security_group(
        {"id": "x", "name": "n", "properties": {"securityRules": [rule], "defaultSecurityRules": [default]}},
        [],
    )
    (only,) = attrs["security_rules"]
    assert only["source_address_prefixes"] == ["10.0.0.0/8"]
    assert only["destination_port_ranges"] == ["22", "3389"]


def _config(name: str, value: str, source: str) -> dict[str, Any]:
    return {"name": name, "properties": {"value": value, "defaultValue": value, "source": source}}


def test_server_parameters_kept_are_the_ones_policies_read_and_the_ones_set_explicitly() -> None:
    configurations = [
        _config("require_secure_transport", "off", "system-default"),
        _config("ssl_min_protocol_version", "TLSv1.2", "system-default"),
        _config("log_connections", "on", "system-default"),
        _config("log_disconnections", "on", "user-override"),
    ]
    assert mapping.server_configurations(configurations) == {
        "require_secure_transport": "off",
        "ssl_min_protocol_version": "TLSv1.2",
        "log_disconnections": "on",
    }


def test_postgres_server_without_network_state_and_with_a_customer_key() -> None:
    server = {"name": "p", "properties": {"network": {"delegatedSubnetResourceId": "/subnets/db"},
              "dataEncryption": {"type": "AzureKeyVault"}, "replica": {"role": "GeoAsyncReplica"},
              "highAvailability": {"mode": "SameZone"}}}  # fmt: skip
    attrs = mapping.postgres_server(server, [])
    assert attrs["public_network_access_enabled"] is False
    assert attrs["customer_managed_key"] is True
    assert attrs["create_mode"] == "Replica"
    assert attrs["high_availability_mode"] == "SameZone"
    assert "backup_retention_days" not in attrs


def test_aks_cluster_with_nothing_turned_on() -> None:
    attrs = mapping.aks_cluster({"name": "k", "properties": {"enableRBAC": False}}, [])
    assert attrs["rbac_enabled"] is False
    assert not any(
        attrs[k] for k in ("kms_enabled", "entra_integrated", "defender_enabled", "local_account_disabled")
    )
    assert "network_policy" not in attrs and attrs["authorized_ip_ranges"] == []


def test_key_vault_defaults() -> None:
    attrs = mapping.key_vault({"name": "kv", "properties": {}}, [])
    assert attrs["purge_protection_enabled"] is False and attrs["network_default_action"] == "Allow"
    assert "soft_delete_retention_days" not in attrs  # the schema default, 90 days, as ARM documents


def _target(**settings: Any) -> AzureTarget:
    return AzureTarget(name="t", subscription_id=SUBSCRIPTION, **settings)


def test_credentials() -> None:
    assert isinstance(credential_for(_target(token="tok")), StaticTokenCredential)
    principal = _target(tenant_id="t", client_id="c", client_secret="s")
    assert isinstance(credential_for(principal), ClientSecretCredential)
    assert isinstance(credential_for(_target()), EnvironmentCredential)
    with pytest.raises(ValueError, match="tenant_id and client_id"):
        credential_for(_target(client_secret="s"))
    assert StaticTokenCredential("tok").get_token("https://management.azure.com/.default").token == "tok"


def test_tokens_go_over_plain_http_only_to_this_machine() -> None:
    assert call_options("https://management.usgovcloudapi.net") == {}
    assert call_options("http://127.0.0.1:8443") == {"enforce_https": False}
    with pytest.raises(ValueError, match="must be an https URL"):
        call_options("http://arm.example.com")


def test_a_target_that_cannot_be_used_is_one_failure_for_every_type() -> None:
    snapshots, report = collect("http://arm.example.com")
    assert snapshots == [] and report.status == "failed"
    (failure,) = report.failures
    assert failure.error.startswith("InvalidConfiguration: arm_endpoint") and len(failure.snapshot_types) == 6
