"""azurerm platform resources: network security groups, AKS clusters and Defender for Cloud plans.

Attribute names follow azurerm v4; the v3 names of renamed attributes are read too.
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
    strings,
    text,
    with_known,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource

NSG_ARM = "Microsoft.Network/networkSecurityGroups"
AKS_ARM = "Microsoft.ContainerService/managedClusters"


def _nsg_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """One security rule, inline block or standalone resource alike; singular and plural fields merged."""
    sources = strings(rule.get("source_address_prefix")) + strings(rule.get("source_address_prefixes"))
    ports = strings(rule.get("destination_port_range")) + strings(rule.get("destination_port_ranges"))
    attrs: dict[str, Any] = {"source_address_prefixes": sources, "destination_port_ranges": ports}
    return with_known(
        attrs,
        name=text(rule.get("name")),
        direction=text(rule.get("direction")),
        access=text(rule.get("access")),
        protocol=text(rule.get("protocol")),
        priority=integer(rule.get("priority")),
    )


def _retention_days(flow_log: TfResource) -> int | None:
    """Days flow records are kept; 0 when retention is off, because Azure then never deletes them."""
    policy = flow_log.block("retention_policy")
    enabled = known(policy.get("enabled"))
    if enabled is None:
        return None
    return integer(policy.get("days")) if flag(enabled) else 0


def _flow_log(res: TfResource, model: TfModel) -> tuple[bool, int | None]:
    """(enabled, retention days) over the flow logs that target this NSG; the longest retention wins."""
    logs = linked(
        model,
        res,
        "azurerm_network_watcher_flow_log",
        ("target_resource_id", "network_security_group_id"),
        NSG_ARM,
    )
    enabled = [log for log in logs if flag(log.get("enabled"))]
    if not enabled:
        return False, None
    days = [d for d in map(_retention_days, enabled) if d is not None]
    if not days:
        return True, None
    return True, 0 if 0 in days else max(days)


@mapper("azurerm_network_security_group", snapshot_type="azure.network.nsg", name_attribute="name")
def network_security_group(res: TfResource, model: TfModel) -> dict[str, Any]:
    standalone = linked(
        model, res, "azurerm_network_security_rule", ("network_security_group_name",), NSG_ARM
    )
    rules = [_nsg_rule(r) for r in res.blocks("security_rule")] + [_nsg_rule(r.values) for r in standalone]
    flow_log_enabled, retention = _flow_log(res, model)
    attrs: dict[str, Any] = {
        "name": res.get("name", res.name),
        "security_rules": rules,
        "flow_log_enabled": flow_log_enabled,
        "tags": res.mapping("tags"),
    }
    return with_known(
        attrs, resource_group=resource_group_name(res, model), flow_log_retention_days=retention
    )


def _authorized_ip_ranges(res: TfResource) -> list[str]:
    # v4: api_server_access_profile { authorized_ip_ranges }; v3 also had a top-level attribute.
    profile = res.block("api_server_access_profile")
    ranges = profile.get("authorized_ip_ranges")
    return strings(res.get("api_server_authorized_ip_ranges") if ranges is None else ranges)


@mapper("azurerm_kubernetes_cluster", snapshot_type="azure.aks.cluster", name_attribute="name")
def kubernetes_cluster(res: TfResource, model: TfModel) -> dict[str, Any]:
    entra = res.block("azure_active_directory_role_based_access_control")
    attrs: dict[str, Any] = {
        "name": res.get("name", res.name),
        "kms_enabled": present(res, "key_management_service"),
        "private_cluster_enabled": flag(res.get("private_cluster_enabled")),
        "authorized_ip_ranges": _authorized_ip_ranges(res),
        "rbac_enabled": flag(res.get("role_based_access_control_enabled"), default=True),
        "azure_rbac_enabled": flag(entra.get("azure_rbac_enabled")),
        "entra_integrated": present(res, "azure_active_directory_role_based_access_control"),
        "local_account_disabled": flag(res.get("local_account_disabled")),
        "defender_enabled": present(res, "microsoft_defender"),
        "diagnostic_categories": diagnostic_categories(res, model, AKS_ARM),
        "tags": res.mapping("tags"),
    }
    return with_known(
        attrs,
        kubernetes_version=text(res.get("kubernetes_version")),
        network_policy=text(res.block("network_profile").get("network_policy")),
        # v4 `automatic_upgrade_channel`; v3 `automatic_channel_upgrade`.
        automatic_upgrade_channel=text(
            first_set(res, "automatic_upgrade_channel", "automatic_channel_upgrade")
        ),
    )


@mapper(
    "azurerm_security_center_subscription_pricing",
    snapshot_type="azure.security.defender_plan",
    name_attribute="resource_type",
)
def defender_plan(res: TfResource, model: TfModel) -> dict[str, Any]:
    # resource_type defaults to VirtualMachines; an unresolved one is kept as written, so it names no plan.
    attrs: dict[str, Any] = {"resource_type": res.get("resource_type", "VirtualMachines")}
    return with_known(attrs, tier=text(res.get("tier")))
