"""Faults injected at the ARM stub: throttling, access denied, timeouts, a refused token; and hollow answers
(HTTP 200 with an empty, truncated or value-less body) from a fault proxy in front of it. The run finishes,
counts every retry and names exactly what it could not read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assay.standins.fault_proxy import FaultProxy, Hollowness
from assay.standins.process import free_port
from assay.standins.stub_http import StubControl
from collectors.azure import clients
from tests.collectors.azure.conftest import collect
from tests.collectors.verdicts import errors, population_verdicts

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
    assert reports.unknown_paths == ("diagnostic_categories",)
    assert reports.attributes["diagnostic_categories"] == []
    data = next(s for s in snapshots if s.name == "tradeplatproddrdata")
    assert data.unknown_paths == () and data.attributes["diagnostic_categories"]
    (failure,) = report.failures
    assert failure.operation == "DiagnosticSettings_List"
    assert failure.snapshot_types == ("azure.storage.account",)
    assert report.counts["azure.storage.account"] == 3


def test_flow_logs_that_cannot_be_listed_leave_the_nsgs_with_unknown_flow_log_state(arm: StubControl) -> None:
    arm.fault(path_contains="/flowLogs", status=500, times=0, retry_after=0.01)
    snapshots, report = collect(arm.url)
    nsgs = [s for s in snapshots if s.type == "azure.network.nsg"]
    assert len(nsgs) == 2
    assert all(s.unknown_paths == ("flow_log_enabled", "flow_log_retention_days") for s in nsgs)
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


CONFIGURATIONS = "/flexibleServers/psql-tradeplat-prod-dr/configurations"  # recorded as two pages
HOLLOW_LISTS = {
    # a list answered hollow: (what the request path ends with, nth matching request, operation, type)
    "first-page": (STORAGE_LIST, 1, "StorageAccounts_List", "azure.storage.account"),
    "only-page-of-a-later-list": (NSG_LIST, 1, "NetworkSecurityGroups_ListAll", "azure.network.nsg"),
    "first-page-of-two": (
        CONFIGURATIONS,
        1,
        "Configurations_ListByServer",
        "azure.postgresql.flexible_server",
    ),
    "second-page": (CONFIGURATIONS, 2, "Configurations_ListByServer", "azure.postgresql.flexible_server"),
}
HOLLOW_BODIES: dict[str, tuple[Hollowness, str]] = {
    "empty": ("empty", "HTTP 200 with an empty body"),
    "truncated": ("truncated", "a body that is not JSON (truncated?)"),
    "no-value": (b'{"nextLink": null}', "a list page with no value array"),
}


@pytest.fixture
def arm_proxy(arm: StubControl) -> Iterator[FaultProxy]:
    with FaultProxy(arm.url) as proxy:
        yield proxy


@pytest.mark.parametrize("body", sorted(HOLLOW_BODIES))
@pytest.mark.parametrize("where", sorted(HOLLOW_LISTS))
def test_a_hollow_list_page_is_an_error_for_its_type(arm_proxy: FaultProxy, where: str, body: str) -> None:
    ending, nth, operation, snapshot_type = HOLLOW_LISTS[where]
    answer, said = HOLLOW_BODIES[body]
    rule = arm_proxy.hollow(lambda request: request.path.endswith(ending), answer, nth=nth)

    snapshots, report = collect(arm_proxy.url)

    assert rule.fired == 1  # not retried: the SDK would retry it for half a minute
    assert report.status == "partial"
    (failure,) = report.failures
    assert (failure.operation, failure.snapshot_types) == (operation, (snapshot_type,))
    assert failure.error.startswith(f"HollowResponse: {operation} answered {said}"), failure.error
    verdicts = population_verdicts(snapshots, report, snapshot_type)
    assert verdicts and all(statuses == {"error"} for statuses in verdicts.values()), verdicts
    assert report.counts["azure.security.defender_plan"] == 12  # the other types are read


def test_a_hollow_answer_to_a_get_is_an_error(arm_proxy: FaultProxy) -> None:
    arm_proxy.hollow(lambda request: request.path.endswith("/blobServices/default"), "empty")
    snapshots, report = collect(arm_proxy.url)
    (failure,) = report.failures
    assert failure.operation == "BlobServices_GetServiceProperties"
    assert failure.error.startswith("HollowResponse: BlobServices_GetServiceProperties answered HTTP 200")
    unread = [s for s in snapshots if s.type == "azure.storage.account" and s.unknown]
    assert [s.unknown_paths for s in unread] == [("blob_soft_delete_days",)]


def test_the_recordings_through_the_proxy_are_complete(arm_proxy: FaultProxy) -> None:
    snapshots, report = collect(arm_proxy.url)
    assert report.status == "complete", report.failures
    assert errors(snapshots, report) == []
    assert arm_proxy.served == report.calls
