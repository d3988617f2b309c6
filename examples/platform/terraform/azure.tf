# Azure East US 2: the warm-standby disaster recovery site (RTO 15 minutes, RPO 5 minutes).

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "dr" {
  name     = "rg-${local.name_prefix}-dr"
  location = var.azure_location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "dr" {
  name                = "log-${local.name_prefix}-dr"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  sku                 = "PerGB2018"
  retention_in_days   = 365
  tags                = local.tags
}

# --- Network ---------------------------------------------------------------------------------------------

resource "azurerm_virtual_network" "dr" {
  name                = "vnet-${local.name_prefix}-dr"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  address_space       = [var.azure_vnet_cidr]
  tags                = local.tags
}

resource "azurerm_subnet" "aks" {
  name                 = "snet-aks"
  resource_group_name  = azurerm_resource_group.dr.name
  virtual_network_name = azurerm_virtual_network.dr.name
  address_prefixes     = ["10.20.0.0/20"]
  service_endpoints    = ["Microsoft.KeyVault", "Microsoft.Storage"]
}

resource "azurerm_subnet" "apiserver" {
  name                 = "snet-aks-apiserver"
  resource_group_name  = azurerm_resource_group.dr.name
  virtual_network_name = azurerm_virtual_network.dr.name
  address_prefixes     = ["10.20.16.0/28"]

  delegation {
    name = "aks-apiserver"
    service_delegation {
      name    = "Microsoft.ContainerService/managedClusters"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "postgres" {
  name                 = "snet-postgres"
  resource_group_name  = azurerm_resource_group.dr.name
  virtual_network_name = azurerm_virtual_network.dr.name
  address_prefixes     = ["10.20.20.0/24"]

  delegation {
    name = "postgres-flexible"
    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "mgmt" {
  name                 = "snet-mgmt"
  resource_group_name  = azurerm_resource_group.dr.name
  virtual_network_name = azurerm_virtual_network.dr.name
  address_prefixes     = ["10.20.30.0/24"]
}

resource "azurerm_network_security_group" "aks" {
  name                = "nsg-${local.name_prefix}-aks"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name

  security_rule {
    name                       = "allow-https-ingress"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "VirtualNetwork"
  }

  security_rule {
    name                       = "deny-all-inbound"
    priority                   = 4096
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  tags = local.tags
}

# Management subnet: the Windows jump host that runs the failover runbook tooling.
resource "azurerm_network_security_group" "mgmt" {
  name                = "nsg-${local.name_prefix}-mgmt"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  tags                = local.tags
}

resource "azurerm_network_security_rule" "mgmt_https_from_corp" {
  name                        = "allow-https-from-corp"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefixes     = var.admin_cidrs
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_resource_group.dr.name
  network_security_group_name = azurerm_network_security_group.mgmt.name
}

resource "azurerm_network_security_rule" "mgmt_rdp_vendor" {
  name                        = "allow-rdp-vendor-support"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_resource_group.dr.name
  network_security_group_name = azurerm_network_security_group.mgmt.name
}

resource "azurerm_network_security_rule" "mgmt_deny_all" {
  name                        = "deny-all-inbound"
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.dr.name
  network_security_group_name = azurerm_network_security_group.mgmt.name
}

resource "azurerm_subnet_network_security_group_association" "aks" {
  subnet_id                 = azurerm_subnet.aks.id
  network_security_group_id = azurerm_network_security_group.aks.id
}

resource "azurerm_subnet_network_security_group_association" "mgmt" {
  subnet_id                 = azurerm_subnet.mgmt.id
  network_security_group_id = azurerm_network_security_group.mgmt.id
}

resource "azurerm_network_watcher" "dr" {
  name                = "nw-${local.name_prefix}-dr"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  tags                = local.tags
}

resource "azurerm_network_watcher_flow_log" "aks" {
  name                      = "fl-${local.name_prefix}-aks"
  network_watcher_name      = azurerm_network_watcher.dr.name
  resource_group_name       = azurerm_resource_group.dr.name
  network_security_group_id = azurerm_network_security_group.aks.id
  storage_account_id        = azurerm_storage_account.flow_logs.id
  enabled                   = true
  version                   = 2

  retention_policy {
    enabled = true
    days    = 365
  }

  traffic_analytics {
    enabled               = true
    workspace_id          = azurerm_log_analytics_workspace.dr.workspace_id
    workspace_region      = azurerm_log_analytics_workspace.dr.location
    workspace_resource_id = azurerm_log_analytics_workspace.dr.id
    interval_in_minutes   = 10
  }

  tags = local.tags
}

resource "azurerm_network_watcher_flow_log" "mgmt" {
  name                      = "fl-${local.name_prefix}-mgmt"
  network_watcher_name      = azurerm_network_watcher.dr.name
  resource_group_name       = azurerm_resource_group.dr.name
  network_security_group_id = azurerm_network_security_group.mgmt.id
  storage_account_id        = azurerm_storage_account.flow_logs.id
  enabled                   = true
  version                   = 2

  retention_policy {
    enabled = true
    days    = 365
  }

  tags = local.tags
}

# --- Keys ------------------------------------------------------------------------------------------------

resource "azurerm_user_assigned_identity" "aks" {
  name                = "id-${local.aks_cluster_name}"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  tags                = local.tags
}

resource "azurerm_user_assigned_identity" "storage" {
  name                = "id-${local.name_prefix}-storage-cmk"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  tags                = local.tags
}

resource "azurerm_key_vault" "dr" {
  name                          = "kv-${var.project}-${var.environment}-dr"
  location                      = azurerm_resource_group.dr.location
  resource_group_name           = azurerm_resource_group.dr.name
  tenant_id                     = var.azure_tenant_id
  sku_name                      = "premium"
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  enable_rbac_authorization     = true
  public_network_access_enabled = true

  network_acls {
    bypass                     = "AzureServices"
    default_action             = "Deny"
    ip_rules                   = var.admin_cidrs
    virtual_network_subnet_ids = [azurerm_subnet.aks.id]
  }

  tags = local.tags
}

resource "azurerm_role_assignment" "deployer_crypto_officer" {
  scope                = azurerm_key_vault.dr.id
  role_definition_name = "Key Vault Crypto Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_role_assignment" "storage_cmk" {
  scope                = azurerm_key_vault.dr.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_user_assigned_identity.storage.principal_id
}

resource "azurerm_role_assignment" "aks_kms" {
  scope                = azurerm_key_vault.dr.id
  role_definition_name = "Key Vault Crypto User"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
}

resource "azurerm_role_assignment" "aks_network" {
  scope                = azurerm_virtual_network.dr.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
}

resource "azurerm_key_vault_key" "storage_cmk" {
  name         = "storage-cmk"
  key_vault_id = azurerm_key_vault.dr.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]

  rotation_policy {
    automatic {
      time_before_expiry = "P30D"
    }
    expire_after         = "P365D"
    notify_before_expiry = "P29D"
  }

  depends_on = [azurerm_role_assignment.deployer_crypto_officer]
}

resource "azurerm_key_vault_key" "aks_kms" {
  name         = "aks-etcd-kms"
  key_vault_id = azurerm_key_vault.dr.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["encrypt", "decrypt", "wrapKey", "unwrapKey"]

  rotation_policy {
    automatic {
      time_before_expiry = "P30D"
    }
    expire_after         = "P365D"
    notify_before_expiry = "P29D"
  }

  depends_on = [azurerm_role_assignment.deployer_crypto_officer]
}

# --- Storage ---------------------------------------------------------------------------------------------

# Replicated customer documents and statements: the DR copy of personal and cardholder data.
resource "azurerm_storage_account" "dr_data" {
  name                              = "${var.project}${var.environment}drdata"
  resource_group_name               = azurerm_resource_group.dr.name
  location                          = azurerm_resource_group.dr.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = "GZRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  infrastructure_encryption_enabled = true

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.storage.id]
  }

  customer_managed_key {
    key_vault_key_id          = azurerm_key_vault_key.storage_cmk.versionless_id
    user_assigned_identity_id = azurerm_user_assigned_identity.storage.id
  }

  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = true

    delete_retention_policy {
      days = 30
    }

    container_delete_retention_policy {
      days = 30
    }
  }

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices"]
    virtual_network_subnet_ids = [azurerm_subnet.aks.id]
  }

  tags = merge(local.tags, local.classification.dr_data)

  depends_on = [azurerm_role_assignment.storage_cmk]
}

# Legacy DR copy of the end-of-day reports, read by the finance team's old BI connector.
resource "azurerm_storage_account" "dr_reports" {
  name                              = "${var.project}${var.environment}drreports"
  resource_group_name               = azurerm_resource_group.dr.name
  location                          = azurerm_resource_group.dr.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = "LRS"
  min_tls_version                   = "TLS1_0"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices"]
    ip_rules                   = var.admin_cidrs
    virtual_network_subnet_ids = [azurerm_subnet.aks.id]
  }

  tags = merge(local.tags, { data_category = "internal" })
}

# NSG flow logs.
resource "azurerm_storage_account" "flow_logs" {
  name                              = "${var.project}${var.environment}flowlogs"
  resource_group_name               = azurerm_resource_group.dr.name
  location                          = azurerm_resource_group.dr.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = "ZRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  infrastructure_encryption_enabled = true

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices", "Logging", "Metrics"]
  }

  tags = merge(local.tags, { data_category = "logs" })
}

# --- PostgreSQL ------------------------------------------------------------------------------------------

resource "azurerm_private_dns_zone" "postgres" {
  name                = "${local.name_prefix}-dr.postgres.database.azure.com"
  resource_group_name = azurerm_resource_group.dr.name
  tags                = local.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "postgres" {
  name                  = "postgres-vnet"
  private_dns_zone_name = azurerm_private_dns_zone.postgres.name
  resource_group_name   = azurerm_resource_group.dr.name
  virtual_network_id    = azurerm_virtual_network.dr.id
  tags                  = local.tags
}

# DR copy of the trading database, fed from Aurora by logical replication over the site-to-site VPN.
resource "azurerm_postgresql_flexible_server" "dr" {
  name                          = "psql-${local.name_prefix}-dr"
  resource_group_name           = azurerm_resource_group.dr.name
  location                      = azurerm_resource_group.dr.location
  version                       = "16"
  sku_name                      = "GP_Standard_D4ds_v5"
  storage_mb                    = 262144
  zone                          = "1"
  delegated_subnet_id           = azurerm_subnet.postgres.id
  private_dns_zone_id           = azurerm_private_dns_zone.postgres.id
  public_network_access_enabled = false
  backup_retention_days         = 35
  geo_redundant_backup_enabled  = true

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = var.azure_tenant_id
  }

  high_availability {
    mode                      = "ZoneRedundant"
    standby_availability_zone = "2"
  }

  tags = merge(local.tags, local.classification.dr_data)

  depends_on = [azurerm_private_dns_zone_virtual_network_link.postgres]
}

# Read replica serving the DR site's risk and reporting queries.
resource "azurerm_postgresql_flexible_server" "dr_replica" {
  name                          = "psql-${local.name_prefix}-dr-replica"
  resource_group_name           = azurerm_resource_group.dr.name
  location                      = azurerm_resource_group.dr.location
  create_mode                   = "Replica"
  source_server_id              = azurerm_postgresql_flexible_server.dr.id
  version                       = "16"
  sku_name                      = "GP_Standard_D4ds_v5"
  storage_mb                    = 262144
  zone                          = "3"
  delegated_subnet_id           = azurerm_subnet.postgres.id
  private_dns_zone_id           = azurerm_private_dns_zone.postgres.id
  public_network_access_enabled = false

  tags = merge(local.tags, local.classification.dr_data)
}

resource "azurerm_postgresql_flexible_server_configuration" "dr" {
  for_each = {
    require_secure_transport = "on"
    ssl_min_protocol_version = "TLSv1.2"
  }

  name      = each.key
  server_id = azurerm_postgresql_flexible_server.dr.id
  value     = each.value
}

resource "azurerm_postgresql_flexible_server_configuration" "dr_replica" {
  for_each = {
    require_secure_transport = "on"
    ssl_min_protocol_version = "TLSv1.2"
  }

  name      = each.key
  server_id = azurerm_postgresql_flexible_server.dr_replica.id
  value     = each.value
}

# --- AKS -------------------------------------------------------------------------------------------------

resource "azurerm_kubernetes_cluster" "dr" {
  name                              = local.aks_cluster_name
  location                          = azurerm_resource_group.dr.location
  resource_group_name               = azurerm_resource_group.dr.name
  dns_prefix                        = local.aks_cluster_name
  kubernetes_version                = var.kubernetes_version
  sku_tier                          = "Standard"
  automatic_upgrade_channel         = "patch"
  node_os_upgrade_channel           = "NodeImage"
  role_based_access_control_enabled = true
  local_account_disabled            = true
  oidc_issuer_enabled               = true
  workload_identity_enabled         = true
  azure_policy_enabled              = true

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4s_v5"
    auto_scaling_enabled         = true
    min_count                    = 2
    max_count                    = 6
    node_count                   = 2
    zones                        = ["1", "2", "3"]
    vnet_subnet_id               = azurerm_subnet.aks.id
    only_critical_addons_enabled = true
    temporary_name_for_rotation  = "systemtmp"

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  azure_active_directory_role_based_access_control {
    tenant_id              = var.azure_tenant_id
    admin_group_object_ids = var.aks_admin_group_object_ids
    azure_rbac_enabled     = true
  }

  key_management_service {
    key_vault_key_id         = azurerm_key_vault_key.aks_kms.id
    key_vault_network_access = "Private"
  }

  # API server VNet integration lets the KMS plugin reach the firewalled key vault privately.
  api_server_access_profile {
    authorized_ip_ranges                = var.admin_cidrs
    virtual_network_integration_enabled = true
    subnet_id                           = azurerm_subnet.apiserver.id
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    load_balancer_sku   = "standard"
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.dr.id
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.dr.id
    msi_auth_for_monitoring_enabled = true
  }

  tags = local.tags

  depends_on = [azurerm_role_assignment.aks_kms, azurerm_role_assignment.aks_network]
}

# Warm standby: scaled to the minimum until failover, when the autoscaler takes it up.
resource "azurerm_kubernetes_cluster_node_pool" "workloads" {
  name                  = "workloads"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.dr.id
  vm_size               = "Standard_F8s_v2"
  auto_scaling_enabled  = true
  min_count             = 1
  max_count             = 30
  node_count            = 1
  zones                 = ["1", "2", "3"]
  vnet_subnet_id        = azurerm_subnet.aks.id
  tags                  = local.tags
}

# --- Diagnostic settings ---------------------------------------------------------------------------------

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_kubernetes_cluster.dr.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.dr.id

  enabled_log {
    category = "kube-audit-admin"
  }

  enabled_log {
    category = "kube-apiserver"
  }

  enabled_log {
    category = "kube-controller-manager"
  }

  enabled_log {
    category = "kube-scheduler"
  }

  enabled_log {
    category = "guard"
  }
}

resource "azurerm_monitor_diagnostic_setting" "key_vault" {
  name                       = "to-log-analytics"
  target_resource_id         = azurerm_key_vault.dr.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.dr.id

  enabled_log {
    category = "AuditEvent"
  }

  enabled_log {
    category = "AzurePolicyEvaluationDetails"
  }
}

resource "azurerm_monitor_diagnostic_setting" "dr_data_blob" {
  name                       = "to-log-analytics"
  target_resource_id         = "${azurerm_storage_account.dr_data.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.dr.id

  enabled_log {
    category = "StorageRead"
  }

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }
}

resource "azurerm_monitor_diagnostic_setting" "dr_reports_blob" {
  name                       = "to-log-analytics"
  target_resource_id         = "${azurerm_storage_account.dr_reports.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.dr.id

  enabled_log {
    category = "StorageRead"
  }

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }
}

resource "azurerm_monitor_diagnostic_setting" "flow_logs_blob" {
  name                       = "to-log-analytics"
  target_resource_id         = "${azurerm_storage_account.flow_logs.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.dr.id

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }
}

# --- Defender for Cloud ----------------------------------------------------------------------------------

resource "azurerm_security_center_subscription_pricing" "this" {
  for_each = toset(["Containers", "StorageAccounts", "KeyVaults", "OpenSourceRelationalDatabases"])

  tier          = "Standard"
  resource_type = each.key
}
