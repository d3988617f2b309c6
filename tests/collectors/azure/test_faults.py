"""Faults injected at the ARM stub: throttling, access denied, timeouts, a refused token. The run finishes,
counts every retry and names exactly what it could not read."""

from __future__ import annotations

import pytest

from assay.standins.process import free_port
from assay.standins.stub_http import StubControl
from collectors.azure import clients
from tests.collectors.azure.conftest import collect

NSG_LIST = "/providers/Microsoft.Network/networkSecurityGroups"
STORAGE_LIST = "/providers/Microsoft.Storage/storageAccounts"


def test_throttling_is_retried_and_the_data_is_complete(arm: StubControl) -> None:
    arm.fault(path_contains=STORAGE_LIST, status=429, times=3, retry_after=0.01)
    arm.fault(path_contains=NSG_LIST, status=503, times=2, retry_after=0.01)
    _, report = collect(arm.url)
    assert report.status == "complete", report.failures
    assert report.retries == 5
    assert report.counts["azure.storage.account"] == 3 and report.counts["azure.network.nsg"] == 2
    served = arm.requests()
    assert [r["status"] for r in served[:4]] == [429, 429, 429, 200]
    assert len(served) == report.calls + report.retries


def test_a_throttling_storm_beyond_the_retries_fails_that_type_only(arm: StubControl) -> None:
    arm.fault(path_contains="/providers/Microsoft.Security/pricings", status=429, times=0, retry_after=0.01)
    _, report = collect(arm.url)
    assert report.status == "partial"
    assert report.counts["azure.security.defender_plan"] == 0
    assert report.counts["azure.storage.account"] == 3
    (failure,) = report.failures
    assert failure.operation == "Pricings_List" and failure.snapshot_types == (
        "azure.security.defender_plan",
    )
    assert failure.error.startswith("TooManyRequests: ")
    assert report.retries == clients.RETRIES
    assert report.incomplete_types() == {"azure.security.defender_plan": [str(failure)]}


def test_access_denied_on_one_type_names_it_and_reads_the_others(arm: StubControl) -> None:
    arm.fault(path_contains=NSG_LIST, status=403, times=0)
    snapshots, report = collect(arm.url)
    assert report.status == "partial"
    assert {s.type for s in snapshots} == {
        "azure.storage.account",
        "azure.aks.cluster",
        "azure.postgresql.flexible_server",
        "azure.keyvault.vault",
        "azure.security.defender_plan",
    }
    (failure,) = report.failures
    assert (failure.service, failure.operation) == ("Microsoft.Network", "NetworkSecurityGroups_ListAll")
    assert failure.snapshot_types == ("azure.network.nsg",)
    assert failure.error.startswith("AuthorizationFailed: The client 'assay-collector'")
    assert report.retries == 0  # 403 is not retried


def test_a_setting_denied_on_one_resource_keeps_it_with_the_attribute_unknown(arm: StubControl) -> None:
    arm.fault(path_contains="tradeplatproddrreports/providers/Microsoft.Insights", status=403, times=0)
    snapshots, report = collect(arm.url)
    reports = next(s for s in snapshots if s.name == "tradeplatproddrreports")
    assert reports.unknown == ("diagnostic_categories",)
    assert reports.attributes["diagnostic_categories"] == []
    data = next(s for s in snapshots if s.name == "tradeplatproddrdata")
    assert data.unknown == () and data.attributes["diagnostic_categories"]
    (failure,) = report.failures
    assert failure.operation == "DiagnosticSettings_List"
    assert failure.snapshot_types == ("azure.storage.account",)
    assert report.counts["azure.storage.account"] == 3


def test_flow_logs_that_cannot_be_listed_leave_the_nsgs_with_unknown_flow_log_state(arm: StubControl) -> None:
    arm.fault(path_contains="/flowLogs", status=500, times=0, retry_after=0.01)
    snapshots, report = collect(arm.url)
    nsgs = [s for s in snapshots if s.type == "azure.network.nsg"]
    assert len(nsgs) == 2
    assert all(s.unknown == ("flow_log_enabled", "flow_log_retention_days") for s in nsgs)
    (failure,) = report.failures
    assert failure.operation == "FlowLogs_List" and failure.error.startswith("InternalServerError: ")


def test_a_timeout_is_a_failure(arm: StubControl, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clients, "READ_TIMEOUT", 0.3)
    monkeypatch.setattr(clients, "RETRIES", 1)
    arm.fault(path_contains="/providers/Microsoft.KeyVault/vaults", delay=1.0, times=0)
    _, report = collect(arm.url)
    assert report.status == "partial"
    assert report.counts["azure.keyvault.vault"] == 0
    (failure,) = report.failures
    assert failure.operation == "Vaults_ListBySubscription"
    assert failure.error.startswith("ServiceResponseTimeoutError: ") and "Read timed out" in failure.error
    assert report.counts["azure.security.defender_plan"] == 12  # read after the timeout


def test_a_refused_token_fails_the_run_with_one_request(arm: StubControl) -> None:
    snapshots, report = collect(arm.url, token="expired-or-forged")
    assert snapshots == [] and report.status == "failed"
    first, *rest = report.failures
    assert first.operation == "StorageAccounts_List"
    assert first.error == "InvalidAuthenticationToken: The access token is invalid."
    assert [f.operation for f in rest] == [
        "NetworkSecurityGroups_ListAll",
        "ManagedClusters_List",
        "Servers_ListBySubscription",
        "Vaults_ListBySubscription",
        "Pricings_List",
    ]
    assert all(f.error.startswith("NotAttempted: the collection stopped") for f in rest)
    assert [r["status"] for r in arm.requests()] == [401]


def test_an_unreachable_endpoint_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clients, "RETRIES", 1)
    _, report = collect(f"http://127.0.0.1:{free_port()}")
    assert report.status == "failed"
    first, *rest = report.failures
    assert first.operation == "StorageAccounts_List" and first.error.startswith("ServiceRequestError: ")
    assert "Connection refused" in first.error
    assert len(rest) == 5 and all(f.error.startswith("NotAttempted: ") for f in rest)
    assert (report.calls, report.retries) == (1, 1)
