"""Hollow LIST answers from a fault proxy in front of the stub API server: HTTP 200 with an empty or a
truncated body, a body of another kind, or a list without its items, on the first page and on a page
reached with a continue token. Each is a Failure for that kind, never an empty list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assay.standins.fault_proxy import FaultProxy, Hollowness
from assay.standins.stub_http import StubControl
from tests.collectors.kubernetes.test_live import PODS, _start, collect, target
from tests.collectors.verdicts import errors, population_verdicts

SECRETS = "/api/v1/secrets"  # listed as a Table
LISTS = {
    # (path, nth request of it: 1 the first page, 3 a page asked for with a continue token, operation, type)
    "pods-first-page": (PODS, 1, "list_pod_for_all_namespaces", "k8s.pod"),
    "pods-third-page": (PODS, 3, "list_pod_for_all_namespaces", "k8s.pod"),
    "secrets-table-first-page": (SECRETS, 1, "list_secret_for_all_namespaces", "k8s.secret"),
    "secrets-table-second-page": (SECRETS, 2, "list_secret_for_all_namespaces", "k8s.secret"),
}
BODIES: dict[str, tuple[Hollowness | None, str]] = {
    "empty": ("empty", "HTTP 200 with an empty body"),
    "truncated": ("truncated", "a body that is not JSON (truncated?)"),
    "status": (b'{"kind": "Status", "apiVersion": "v1", "status": "Success"}', "kind 'Status', not "),
    "no-items": (None, " with no "),  # the right kind, without items (rows)
}


@pytest.fixture(scope="module")
def k8s_stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubControl]:
    yield from _start(tmp_path_factory.mktemp("k8s-hollow"))


@pytest.fixture
def proxy(k8s_stub: StubControl) -> Iterator[FaultProxy]:
    k8s_stub.reset()
    with FaultProxy(k8s_stub.url) as running:
        yield running


def _no_items(path: str) -> bytes:
    if path == SECRETS:
        return b'{"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {}, "columnDefinitions": []}'
    return b'{"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}}'


@pytest.mark.parametrize("body", sorted(BODIES))
@pytest.mark.parametrize("where", sorted(LISTS))
def test_a_hollow_page_is_an_error_for_its_kind(proxy: FaultProxy, where: str, body: str) -> None:
    path, nth, operation, snapshot_type = LISTS[where]
    answer, said = BODIES[body]
    rule = proxy.hollow(lambda request: request.path == path, answer or _no_items(path), nth=nth)

    snapshots, report = collect(target(proxy.url))

    assert rule.fired == 1 and rule.chosen is not None  # not retried
    assert ("continue=" in rule.chosen.query) == (nth > 1)
    assert report.status == "partial"
    (failure,) = report.failures
    assert (failure.operation, failure.snapshot_types) == (operation, (snapshot_type,))
    assert failure.error.startswith(f"HollowResponse: {operation} answered "), failure.error
    assert said in failure.error, failure.error
    assert snapshot_type in report.incomplete_types()
    verdicts = population_verdicts(snapshots, report, snapshot_type)
    assert verdicts or snapshot_type == "k8s.secret", "no built-in policy reads secrets"
    assert all(statuses == {"error"} for statuses in verdicts.values()), verdicts
    assert report.counts["k8s.network_policy"] == 10  # the other kinds are read


def test_the_cluster_through_the_proxy_is_complete(proxy: FaultProxy) -> None:
    snapshots, report = collect(target(proxy.url))
    assert report.status == "complete", report.failures
    assert errors(snapshots, report) == []
    assert proxy.served == report.calls
