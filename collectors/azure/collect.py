"""Collect one Azure subscription through the management SDKs: each resource is pushed as soon as it and
the settings it needs (blob service, diagnostic settings, flow logs, server parameters) are read.

A failed list call ends that resource type (its Failure names the type) and the others go on; a failed
per-resource read (one account's diagnostic settings, say) keeps the resource with that attribute listed
in `unknown` and a Failure naming its type. A refused credential or an endpoint that cannot be reached
stops the collection: every type not yet read gets a NotAttempted failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collectors.azure import mapping
from collectors.azure.clients import open_clients
from collectors.azure.reader import ArmReader, Op, Refused, Unread, rest_dict
from collectors.runtime import AzureTarget, CollectionReport, Failure, Sink
from collectors.snapshot import make_snapshot

COLLECTOR = "assay-azure/0.1"
STORAGE, NSG, AKS = "azure.storage.account", "azure.network.nsg", "azure.aks.cluster"
POSTGRES, VAULT, DEFENDER = (
    "azure.postgresql.flexible_server",
    "azure.keyvault.vault",
    "azure.security.defender_plan",
)

LIST_STORAGE = Op("Microsoft.Storage", "StorageAccounts_List", (STORAGE,))
BLOB_SERVICE = Op("Microsoft.Storage", "BlobServices_GetServiceProperties", (STORAGE,))
LIST_WATCHERS = Op("Microsoft.Network", "NetworkWatchers_ListAll", (NSG,))
LIST_FLOW_LOGS = Op("Microsoft.Network", "FlowLogs_List", (NSG,))
LIST_NSGS = Op("Microsoft.Network", "NetworkSecurityGroups_ListAll", (NSG,))
LIST_AKS = Op("Microsoft.ContainerService", "ManagedClusters_List", (AKS,))
LIST_POSTGRES = Op("Microsoft.DBforPostgreSQL", "Servers_ListBySubscription", (POSTGRES,))
LIST_CONFIGURATIONS = Op("Microsoft.DBforPostgreSQL", "Configurations_ListByServer", (POSTGRES,))
LIST_VAULTS = Op("Microsoft.KeyVault", "Vaults_ListBySubscription", (VAULT,))
LIST_PRICINGS = Op("Microsoft.Security", "Pricings_List", (DEFENDER,))


def _diagnostics(r: ArmReader, resource_ids: list[str], snapshot_type: str) -> list[dict[str, Any]] | None:
    """Diagnostic settings on the resources, or None when any could not be read."""
    op = Op("Microsoft.Insights", "DiagnosticSettings_List", (snapshot_type,))
    settings: list[dict[str, Any]] = []
    try:
        for resource_id in resource_ids:
            settings.extend(
                r.listing(op, r.clients.monitor.diagnostic_settings.list, resource_id.lstrip("/"))
            )
    except Refused:
        raise
    except Unread:
        return None
    return settings


def _group(body: dict[str, Any]) -> str:
    """The resource group in the body's ARM id ("" if it names none: the call then fails and is reported)."""
    return mapping.resource_group(body.get("id")) or ""


def _unread(**parts: Any) -> tuple[str, ...]:
    """The attributes whose source (given as name=value) could not be read."""
    return tuple(sorted(name for name, value in parts.items() if value is None))


def _emit(
    r: ArmReader,
    sink: Sink,
    body: dict[str, Any],
    snapshot_type: str,
    attributes: dict[str, Any],
    raw: dict[str, Any] | None = None,
    unknown: tuple[str, ...] = (),
) -> None:
    sink(
        make_snapshot(
            id=str(body["id"]),
            type=snapshot_type,
            source="runtime",
            attributes=attributes,
            collector=COLLECTOR,
            raw={"resource": body, **(raw or {})},
            name=body.get("name"),
            account=r.clients.subscription_id,
            region=r.region(body.get("location")),
            unknown=unknown,
        )
    )
    r.report.saw(snapshot_type)


def storage_accounts(r: ArmReader, sink: Sink) -> None:
    storage = r.clients.storage
    for page in r.pages(LIST_STORAGE, storage.storage_accounts.list):
        for account in page:
            group = _group(account)
            try:
                blob: dict[str, Any] | None = rest_dict(
                    r.get(BLOB_SERVICE, storage.blob_services.get_service_properties, group, account["name"])
                )
            except Refused:
                raise
            except Unread:
                blob = None
            ids = [account["id"], f"{account['id']}/blobServices/default"]
            settings = _diagnostics(r, ids, STORAGE)
            attrs = mapping.storage_account(account, blob, settings or [])
            raw = {"blobService": blob, "diagnosticSettings": settings}
            unknown = _unread(blob_soft_delete_days=blob, diagnostic_categories=settings)
            _emit(r, sink, account, STORAGE, attrs, raw, unknown)


def _flow_logs(r: ArmReader) -> dict[str, list[dict[str, Any]]] | None:
    """Flow logs by the lower-cased id of the resource they watch; None when any could not be listed."""
    network = r.clients.network
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        for watcher in r.listing(LIST_WATCHERS, network.network_watchers.list_all):
            group = _group(watcher)
            for log in r.listing(LIST_FLOW_LOGS, network.flow_logs.list, group, watcher["name"]):
                target = str(mapping.props(log).get("targetResourceId", "")).lower()
                found.setdefault(target, []).append(log)
    except Refused:
        raise
    except Unread:
        return None
    return found


def network_security_groups(r: ArmReader, sink: Sink) -> None:
    flow_logs = _flow_logs(r)
    for page in r.pages(LIST_NSGS, r.clients.network.network_security_groups.list_all):
        for nsg in page:
            logs = None if flow_logs is None else flow_logs.get(str(nsg["id"]).lower(), [])
            attrs = mapping.network_security_group(nsg, logs or [])
            unknown = _unread(flow_log_enabled=logs, flow_log_retention_days=logs)
            _emit(r, sink, nsg, NSG, attrs, {"flowLogs": logs}, unknown)


def aks_clusters(r: ArmReader, sink: Sink) -> None:
    for page in r.pages(LIST_AKS, r.clients.aks.managed_clusters.list):
        for cluster in page:
            settings = _diagnostics(r, [cluster["id"]], AKS)
            attrs = mapping.aks_cluster(cluster, settings or [])
            unknown = _unread(diagnostic_categories=settings)
            _emit(r, sink, cluster, AKS, attrs, {"diagnosticSettings": settings}, unknown)


def postgres_servers(r: ArmReader, sink: Sink) -> None:
    client = r.clients.postgres
    for page in r.pages(LIST_POSTGRES, client.servers.list_by_subscription):
        for server in page:
            group = _group(server)
            listed = client.configurations.list_by_server
            try:
                configurations: list[dict[str, Any]] | None = r.listing(
                    LIST_CONFIGURATIONS, listed, group, server["name"]
                )
            except Refused:
                raise
            except Unread:
                configurations = None
            attrs = mapping.postgres_server(server, configurations or [])
            unknown = _unread(configurations=configurations)
            _emit(r, sink, server, POSTGRES, attrs, {"configurations": configurations}, unknown)


def key_vaults(r: ArmReader, sink: Sink) -> None:
    for page in r.pages(LIST_VAULTS, r.clients.keyvault.vaults.list_by_subscription):
        for vault in page:
            settings = _diagnostics(r, [vault["id"]], VAULT)
            attrs = mapping.key_vault(vault, settings or [])
            unknown = _unread(diagnostic_categories=settings)
            _emit(r, sink, vault, VAULT, attrs, {"diagnosticSettings": settings}, unknown)


def defender_plans(r: ArmReader, sink: Sink) -> None:
    scope = f"subscriptions/{r.clients.subscription_id}"
    pricings = r.get(LIST_PRICINGS, r.clients.security.pricings.list, scope)
    for pricing in pricings.value or []:
        body = rest_dict(pricing)
        _emit(r, sink, body, DEFENDER, mapping.defender_plan(body))


Step = Callable[[ArmReader, Sink], None]
STEPS: list[tuple[Step, Op]] = [
    (storage_accounts, LIST_STORAGE),
    (network_security_groups, LIST_NSGS),
    (aks_clusters, LIST_AKS),
    (postgres_servers, LIST_POSTGRES),
    (key_vaults, LIST_VAULTS),
    (defender_plans, LIST_PRICINGS),
]
ALL_TYPES = (STORAGE, NSG, AKS, POSTGRES, VAULT, DEFENDER)


def collect_azure(target: AzureTarget, sink: Sink, report: CollectionReport) -> None:
    """Read every resource type the Azure controls judge in `target`'s subscription."""
    try:
        clients = open_clients(target)
    except ValueError as exc:
        report.failed(
            Failure(target.name, None, "azure", "configure", f"InvalidConfiguration: {exc}", ALL_TYPES)
        )
        return
    with clients:
        reader = ArmReader(target.name, report, clients)
        for index, (step, _) in enumerate(STEPS):
            try:
                step(reader, sink)
            except Refused as exc:
                later = [op for _, op in STEPS[index + 1 :]]
                reader.not_attempted(later, f"the collection stopped at the failure above ({exc})")
                return
            except Unread:
                continue
