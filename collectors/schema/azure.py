"""Azure snapshot types, shared by the Terraform (azurerm) reader and the ARM collectors."""

from __future__ import annotations

from collectors.schema.base import BOTH, Attrs, type_table


class StorageAccount(Attrs):
    name: str
    resource_group: str | None = None
    min_tls_version: str = "TLS1_2"
    https_only: bool = True
    allow_blob_public_access: bool = False
    public_network_access_enabled: bool = True
    network_default_action: str = "Allow"  # Allow | Deny
    infrastructure_encryption_enabled: bool = False
    customer_managed_key: bool = False
    shared_access_key_enabled: bool = True
    replication_type: str | None = None  # LRS | GRS | RAGRS | ZRS | GZRS | RAGZRS
    blob_soft_delete_days: int | None = None
    diagnostic_categories: list[str] = []  # log categories sent by diagnostic settings
    tags: dict[str, str] = {}


class NsgRule(Attrs):
    name: str | None = None
    direction: str = "Inbound"
    access: str = "Allow"
    protocol: str = "*"
    priority: int | None = None
    source_address_prefixes: list[str] = []
    destination_port_ranges: list[str] = []  # "22", "1000-2000" or "*"


class NetworkSecurityGroup(Attrs):
    name: str
    resource_group: str | None = None
    security_rules: list[NsgRule] = []
    flow_log_enabled: bool = False
    flow_log_retention_days: int | None = None
    tags: dict[str, str] = {}


class AksCluster(Attrs):
    name: str
    kubernetes_version: str | None = None
    kms_enabled: bool = False
    private_cluster_enabled: bool = False
    authorized_ip_ranges: list[str] = []
    rbac_enabled: bool = True
    azure_rbac_enabled: bool = False
    entra_integrated: bool = False
    local_account_disabled: bool = False
    network_policy: str | None = None  # azure | calico | cilium
    automatic_upgrade_channel: str | None = None
    defender_enabled: bool = False
    diagnostic_categories: list[str] = []
    tags: dict[str, str] = {}


class PostgresFlexibleServer(Attrs):
    name: str
    version: str | None = None
    public_network_access_enabled: bool = True
    backup_retention_days: int = 7
    geo_redundant_backup_enabled: bool = False
    high_availability_mode: str | None = None
    create_mode: str | None = None  # Replica for the DR replica
    configurations: dict[str, str] = {}  # server parameters set explicitly
    customer_managed_key: bool = False
    tags: dict[str, str] = {}


class KeyVault(Attrs):
    name: str
    purge_protection_enabled: bool = False
    soft_delete_retention_days: int = 90
    public_network_access_enabled: bool = True
    network_default_action: str = "Allow"
    rbac_authorization_enabled: bool = False
    diagnostic_categories: list[str] = []
    tags: dict[str, str] = {}


class DefenderPlan(Attrs):
    resource_type: str  # Containers, StorageAccounts, KeyVaults, OpenSourceRelationalDatabases ...
    tier: str = "Free"


TYPES = type_table(
    "azure",
    [
        ("azure.storage.account", StorageAccount, BOTH, "storage account with its diagnostic settings"),
        ("azure.network.nsg", NetworkSecurityGroup, BOTH, "network security group with rules and flow log"),
        ("azure.aks.cluster", AksCluster, BOTH, "AKS managed cluster"),
        ("azure.postgresql.flexible_server", PostgresFlexibleServer, BOTH, "PostgreSQL flexible server"),
        ("azure.keyvault.vault", KeyVault, BOTH, "Key Vault"),
        ("azure.security.defender_plan", DefenderPlan, BOTH, "Defender for Cloud pricing tier, per plan"),
    ],
)
