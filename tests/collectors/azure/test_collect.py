"""The Azure collector, through the real SDK clients, against the ARM stub replaying the example platform:
the same snapshots and the same verdicts as the azurerm reader gives for the same resources."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from assay.standins.stub_http import StubControl
from collectors.azure import collect_azure
from collectors.runtime import AzureTarget, CollectionReport
from collectors.snapshot import ResourceSnapshot
from collectors.terraform import read_terraform
from policies import Evaluation, evaluate, load_policies
from tests.collectors.azure.conftest import RECORDINGS, ROOT, SUBSCRIPTION, collect, start

NOW = datetime(2026, 11, 21, tzinfo=UTC)
TERRAFORM = ROOT / "examples" / "platform" / "terraform"
RG = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-tradeplat-prod-dr/providers"
POLICIES = load_policies()
EXPECTED_COUNTS = {
    "azure.storage.account": 3,
    "azure.network.nsg": 2,
    "azure.aks.cluster": 1,
    "azure.postgresql.flexible_server": 2,
    "azure.keyvault.vault": 1,
    "azure.security.defender_plan": 12,
}


@pytest.fixture(scope="module")
def collected(arm_server: StubControl) -> tuple[list[ResourceSnapshot], CollectionReport]:
    arm_server.reset()
    return collect(arm_server.url)


@pytest.fixture(scope="module")
def terraform() -> list[ResourceSnapshot]:
    read = read_terraform(TERRAFORM, NOW)
    assert read.problems == []
    return [s for s in read.snapshots if s.provider == "azure"]


def _by_name(snapshots: list[ResourceSnapshot]) -> dict[tuple[str, str | None], ResourceSnapshot]:
    return {(s.type, s.name): s for s in snapshots}


def _rules_sorted(attributes: dict[str, object]) -> dict[str, object]:
    rules = attributes.get("security_rules")
    if isinstance(rules, list):
        return {**attributes, "security_rules": sorted(rules, key=lambda r: str(r["name"]))}
    return attributes


def test_every_type_is_read_completely(collected: tuple[list[ResourceSnapshot], CollectionReport]) -> None:
    snapshots, report = collected
    assert report.status == "complete", report.failures
    assert dict(report.counts) == EXPECTED_COUNTS
    assert Counter(s.type for s in snapshots) == Counter(EXPECTED_COUNTS)
    assert report.regions == ["eastus2"]
    assert report.retries == 0


def test_snapshot_identity(collected: tuple[list[ResourceSnapshot], CollectionReport]) -> None:
    snapshots, _ = collected
    account = _by_name(snapshots)[("azure.storage.account", "tradeplatproddrdata")]
    assert account.id == f"{RG}/Microsoft.Storage/storageAccounts/tradeplatproddrdata"
    assert (account.source, account.collector) == ("runtime", "assay-azure/0.1")
    assert (account.account, account.region, account.unknown) == (SUBSCRIPTION, "eastus2", ())
    server = _by_name(snapshots)[("azure.postgresql.flexible_server", "psql-tradeplat-prod-dr")]
    assert server.region == "eastus2"  # ARM wrote "East US 2"
    plan = _by_name(snapshots)[("azure.security.defender_plan", "Containers")]
    assert plan.id == f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Security/pricings/Containers"


def test_attributes_match_the_terraform_reader(
    collected: tuple[list[ResourceSnapshot], CollectionReport], terraform: list[ResourceSnapshot]
) -> None:
    runtime, declared = _by_name(collected[0]), _by_name(terraform)
    assert set(declared) <= set(runtime)
    for key, iac in declared.items():
        live = runtime[key]
        assert _rules_sorted(live.attributes) == _rules_sorted(iac.attributes), key
        assert live.region == iac.region or iac.region is None, key


def _verdicts(snapshots: list[ResourceSnapshot], source: str) -> set[tuple[str, str, str | None, str]]:
    ev = Evaluation(snapshots, controls_for=lambda _: (), now=NOW, sources=(source,))
    names = {s.id: (s.type, s.name) for s in snapshots}
    found = set()
    for j in evaluate(POLICIES, ev):
        if not j.policy_id.startswith(("azure.", "privacy.")):
            continue
        kind, name = names.get(j.resource_id or "", ("population", None))
        found.add((j.policy_id, kind, name, j.status.value))
    return found


def test_policies_judge_both_sources_the_same(
    collected: tuple[list[ResourceSnapshot], CollectionReport], terraform: list[ResourceSnapshot]
) -> None:
    declared_names = {(s.type, s.name) for s in terraform}
    iac = _verdicts(terraform, "iac")
    live = {
        v
        for v in _verdicts(collected[0], "runtime")
        if (v[1], v[2]) in declared_names or v[1] == "population"
    }
    assert live == iac
    assert (
        "azure.network.nsg_admin_ports_closed",
        "azure.network.nsg",
        "nsg-tradeplat-prod-mgmt",
        "fail",
    ) in live
    assert (
        "azure.storage.secure_transfer",
        "azure.storage.account",
        "tradeplatproddrreports",
        "fail",
    ) in live
    assert (
        "azure.postgresql.secure_transport",
        "azure.postgresql.flexible_server",
        "psql-tradeplat-prod-dr",
        "pass",
    ) in live


def test_plans_terraform_leaves_free_are_not_judged(
    collected: tuple[list[ResourceSnapshot], CollectionReport],
) -> None:
    statuses = {(kind, name): status for _, kind, name, status in _verdicts(collected[0], "runtime")}
    assert statuses[("azure.security.defender_plan", "VirtualMachines")] == "not_applicable"
    assert statuses[("azure.security.defender_plan", "Containers")] == "pass"


def test_every_request_is_counted(arm: StubControl) -> None:
    _, report = collect(arm.url)
    served = arm.requests()
    assert len(served) == report.calls + report.retries == 22
    assert report.pages == 22
    pages = [r for r in served if r["path"].endswith("psql-tradeplat-prod-dr/configurations")]
    assert len(pages) == 2 and "skipToken=1" in pages[1]["query"]  # the recorded two-page list


@pytest.fixture(scope="module")
def paged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubControl]:
    """The same recordings, with the storage account list recorded as three pages of one account."""
    root = tmp_path_factory.mktemp("paged")
    for file in RECORDINGS.glob("*.json"):
        entries = json.loads(file.read_text())
        key = f"GET /subscriptions/{SUBSCRIPTION}/providers/Microsoft.Storage/storageAccounts"
        if key in entries:
            entries[key] = [{"value": [account]} for account in entries[key]["value"]]
        (root / file.name).write_text(json.dumps(entries))
    yield from start(root, root / "stub.log")


def test_a_list_is_read_across_pages(paged_server: StubControl) -> None:
    snapshots, report = collect(paged_server.url)
    assert report.status == "complete"
    names = [s.name for s in snapshots if s.type == "azure.storage.account"]
    assert names == ["tradeplatproddrdata", "tradeplatproddrreports", "tradeplatprodflowlogs"]
    listed = [r for r in paged_server.requests() if r["path"].endswith("Microsoft.Storage/storageAccounts")]
    assert [r["status"] for r in listed] == [200, 200, 200]
    assert report.pages == 24  # two more pages than the single-page recording


def test_snapshots_are_pushed_as_each_resource_is_read(arm: StubControl) -> None:
    seen_requests: list[int] = []

    def sink(snapshot: ResourceSnapshot) -> None:
        seen_requests.append(len(arm.requests()))

    target = AzureTarget(
        name="dr", subscription_id=SUBSCRIPTION, token="assay-arm-stub-token", arm_endpoint=arm.url
    )
    collect_azure(target, sink, CollectionReport(target="dr", provider="azure"))
    assert seen_requests[0] == 4  # the list, then the first account's blob service and two settings lists
    assert seen_requests == sorted(seen_requests) and seen_requests[0] < seen_requests[-1]
