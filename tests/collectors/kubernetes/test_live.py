"""The live Kubernetes collector, through the official client, against the stub API server serving the example
platform as applied to a managed cluster: paging, 410 restarts, throttling, denial, timeouts, bad tokens,
and the same verdicts as the manifests for the same resources."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assay.standins.k8s_stub import DEFAULT_TOKEN, start_k8s_stub
from assay.standins.process import StandInError, free_port
from assay.standins.stub_http import StubControl
from collectors.kubernetes import collect_kubernetes, read_manifests
from collectors.kubernetes.live import MAX_ATTEMPTS, MAX_RESTARTS, _scrub, _table_objects
from collectors.kubernetes.live_client import KINDS
from collectors.kubernetes.objects import LAST_APPLIED, pseudonym
from collectors.runtime import CollectionReport, KubernetesTarget
from collectors.snapshot import ResourceSnapshot
from policies import Evaluation, evaluate, load_policies

MANIFESTS = Path(__file__).resolve().parents[3] / "examples" / "platform" / "kubernetes"
KEY = b"test-pseudonym-key"
CLUSTER = "aks-dr"
NOW = datetime(2026, 11, 21, tzinfo=UTC)
POLICIES = load_policies()
PODS = "/api/v1/pods"
SECRET_VALUE = "cGxhY2Vob2xkZXItbm90LWEtcmVhbC1zZWNyZXQ="  # a placeholder value in secrets.yaml
RUNNING_PODS = 17  # the example's Deployments' replicas, plus two CoreDNS pods
WORKLOAD_TEMPLATES = 7  # six Deployments (CoreDNS included) and the CronJob


def _start(tmp: Path, page_size: int | None = None) -> Iterator[StubControl]:
    try:
        server = start_k8s_stub(MANIFESTS, tmp / "stub.log", page_size=page_size)
    except StandInError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield StubControl(server.url)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def k8s_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubControl]:
    yield from _start(tmp_path_factory.mktemp("k8s"))


@pytest.fixture
def k8s(k8s_server: StubControl) -> StubControl:
    k8s_server.reset()
    return k8s_server


def collect(target: KubernetesTarget) -> tuple[list[ResourceSnapshot], CollectionReport]:
    report = CollectionReport(target=target.name, provider="kubernetes")
    snapshots: list[ResourceSnapshot] = []
    collect_kubernetes(target, snapshots.append, report, pseudonym_key=KEY)
    return snapshots, report


def target(url: str, **options: Any) -> KubernetesTarget:
    settings: dict[str, Any] = {"token": DEFAULT_TOKEN, "page_size": 4, "timeout_seconds": 5.0, **options}
    return KubernetesTarget(name=CLUSTER, api_server=url, **settings)


@pytest.fixture(scope="module")
def collected(
    k8s_server: StubControl,
) -> tuple[list[ResourceSnapshot], CollectionReport, list[dict[str, Any]]]:
    k8s_server.reset()
    snapshots, report = collect(target(k8s_server.url))
    return snapshots, report, k8s_server.requests()


Collected = tuple[list[ResourceSnapshot], CollectionReport, list[dict[str, Any]]]


def test_every_kind_is_listed_page_by_page(collected: Collected) -> None:
    snapshots, report, served = collected
    assert report.status == "complete", report.failures
    assert report.counts["k8s.pod"] == RUNNING_PODS + WORKLOAD_TEMPLATES
    assert len({s.id for s in snapshots}) == len(snapshots) == sum(report.counts.values())
    pods = [r for r in served if r["path"] == PODS]
    assert len(pods) == 5 and all("limit=4" in r["query"] for r in pods)
    assert "continue=" not in pods[0]["query"] and all("continue=" in r["query"] for r in pods[1:])
    assert report.pages == report.calls == len(served)
    assert set(report.notes["resource_versions"]) == {k.kind for k in KINDS}


def test_snapshot_identity_and_mapping(collected: Collected) -> None:
    by_id = {s.id: s for s in collected[0]}
    pod = next(s for s in collected[0] if s.id.startswith(f"k8s:{CLUSTER}/trading/Pod/trading-engine-"))
    assert (pod.type, pod.source, pod.collector, pod.account) == (
        "k8s.pod",
        "runtime",
        "assay-k8s/0.1",
        CLUSTER,
    )
    assert (
        pod.attributes["workload_kind"] == "Pod"
        and pod.attributes["service_account_name"] == "trading-engine"
    )
    binding = by_id[f"k8s:{CLUSTER}/risk/RoleBinding/quant-team-batch-operator"].attributes
    users = [s["name"] for s in binding["subjects"] if s["kind"] == "User"]
    assert users == [pseudonym("jane.doe@tradeplat.example", KEY)]
    admin = by_id[f"k8s:{CLUSTER}/_cluster/ClusterRoleBinding/cluster-admin"].attributes
    assert admin["subjects"] == [{"kind": "Group", "name": "system:masters", "namespace": None}]


def test_secrets_are_read_as_metadata_only(collected: Collected) -> None:
    snapshots, _, served = collected
    secrets = {s.name: s.attributes for s in snapshots if s.type == "k8s.secret"}
    assert secrets["bootstrap-token-k3j8v2"]["secret_type"] == "bootstrap.kubernetes.io/token"
    assert secrets["trading-db"] == {"namespace": "trading", "name": "trading-db", "secret_type": "Opaque"}
    asked = [r["accept"] for r in served if r["path"] == "/api/v1/secrets"]
    assert asked and all("as=Table" in a for a in asked)
    dump = json.dumps([s.model_dump(mode="json") for s in snapshots])
    assert SECRET_VALUE not in dump and "jane.doe" not in dump


def test_a_table_row_keeps_no_value() -> None:
    metadata = {"name": "db", "namespace": "n", "annotations": {LAST_APPLIED: '{"data": {"p": "c2VjcmV0"}}'}}
    body = {"columnDefinitions": [{"name": "Name"}, {"name": "Type"}], "rows": [{"cells": ["db", "Opaque"],
            "object": {"metadata": metadata}}]}  # fmt: skip
    secret = next(k for k in KINDS if k.kind == "Secret")
    (obj,) = [_scrub(o) for o in _table_objects(secret, body)]
    assert obj == {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "n",
                   "annotations": {}}, "type": "Opaque"}  # fmt: skip


def _verdicts(snapshots: list[ResourceSnapshot], source: str) -> set[tuple[str, str, str]]:
    """(policy, resource id, status) for every k8s policy's verdict on a resource."""
    ev = Evaluation(snapshots, controls_for=lambda _: (), now=NOW, sources=(source,))
    return {
        (j.policy_id, j.resource_id, j.status.value)
        for j in evaluate(POLICIES, ev)
        if j.policy_id.startswith("k8s.") and j.resource_id
    }


def _owner(resource_id: str) -> str:
    """A running pod stands for the Deployment whose ReplicaSet made it: <deployment>-<hash>-<suffix>."""
    prefix, kind, name = resource_id.rsplit("/", 2)
    return f"{prefix}/Deployment/{name.rsplit('-', 2)[0]}" if kind == "Pod" else resource_id


def test_policies_judge_the_cluster_as_they_judge_the_manifests(collected: Collected) -> None:
    declared, problems = read_manifests(MANIFESTS, cluster=CLUSTER, pseudonym_key=KEY)
    assert problems == []
    iac = _verdicts(declared, "iac")
    judged = {(policy, resource) for policy, resource, _ in iac}
    runtime = _verdicts(collected[0], "runtime")
    live = {(p, _owner(r), status) for p, r, status in runtime if (p, _owner(r)) in judged}
    assert live == iac  # every running pod is judged as its Deployment's template is
    from_pods = [r for p, r, _ in runtime if "/Pod/" in r and (p, _owner(r)) in judged]
    assert len(from_pods) == 15 * 5  # the platform's 15 pods, under each of the five pod policies
    sre = f"k8s:{CLUSTER}/_cluster/ClusterRoleBinding/sre-break-glass-cluster-admin"
    assert ("k8s.rbac.cluster_admin_restricted", sre, "fail") in live
    assert ("k8s.namespace.default_deny", f"k8s:{CLUSTER}/_cluster/Namespace/reporting", "fail") in live


def test_an_expired_continue_token_restarts_the_list(k8s: StubControl) -> None:
    k8s.fault(path_contains=PODS, query_contains="continue=", status=410, times=1)
    snapshots, report = collect(target(k8s.url))
    assert report.status == "complete", report.failures
    pods = [s for s in snapshots if s.type == "k8s.pod" and s.attributes["workload_kind"] == "Pod"]
    assert len(pods) == len({p.id for p in pods}) == RUNNING_PODS
    versions = report.notes["resource_versions"]
    assert (
        int(versions["Pod"]) == int(versions["Namespace"]) + 50
    )  # the list that completed, after compaction
    assert report.notes["list_restarts"] == {"Pod": 1}
    assert [r["status"] for r in k8s.requests() if r["path"] == PODS] == [200, 410, 200, 200, 200, 200, 200]


def test_a_token_that_keeps_expiring_is_a_failure(k8s: StubControl) -> None:
    k8s.fault(path_contains=PODS, query_contains="continue=", status=410, times=0)
    _, report = collect(target(k8s.url))
    assert report.status == "partial"
    (failure,) = report.failures
    assert (failure.operation, failure.snapshot_types) == ("list_pod_for_all_namespaces", ("k8s.pod",))
    assert failure.error.startswith("Expired: ")
    assert (
        report.notes["list_restarts"] == {"Pod": MAX_RESTARTS + 1}
        and "Pod" not in report.notes["resource_versions"]
    )
    assert report.counts["k8s.role"] > 0


def test_throttling_is_retried_and_the_data_is_complete(k8s: StubControl, collected: Collected) -> None:
    k8s.fault(path_contains="/clusterroles", status=429, times=2, retry_after=0)
    k8s.fault(path_contains=PODS, status=503, times=1, retry_after=0)
    _, report = collect(target(k8s.url))
    assert report.status == "complete" and report.retries == 3
    assert dict(report.counts) == dict(collected[1].counts)
    assert len(k8s.requests()) == report.calls + report.retries


def test_errors_that_persist_fail_that_kind_only(k8s: StubControl) -> None:
    k8s.fault(path_contains="/api/v1/secrets", status=403, times=0)
    k8s.fault(path_contains="/api/v1/serviceaccounts", status=500, times=0, retry_after=0)
    snapshots, report = collect(target(k8s.url))
    assert report.status == "partial"
    denied, broken = sorted(report.failures, key=lambda f: f.operation)
    assert denied.operation == "list_secret_for_all_namespaces" and denied.snapshot_types == ("k8s.secret",)
    assert denied.error.startswith("Forbidden: ") and denied.service == "v1"
    assert broken.snapshot_types == ("k8s.service_account",) and broken.error.startswith("InternalError: ")
    assert report.retries == MAX_ATTEMPTS - 1  # 500 is retried, 403 is not
    assert {"k8s.secret", "k8s.service_account"}.isdisjoint(s.type for s in snapshots)
    assert report.counts["k8s.network_policy"] == 10


def test_a_timeout_is_a_failure(k8s: StubControl) -> None:
    k8s.fault(path_contains="/networkpolicies", delay=2.0, times=1)
    _, report = collect(target(k8s.url, timeout_seconds=0.5))
    (failure,) = report.failures
    assert failure.snapshot_types == ("k8s.network_policy",)
    assert failure.error.startswith("ReadTimeoutError: ")
    assert report.status == "partial" and report.counts["k8s.secret"] == 5  # read after the timeout


def test_a_refused_token_fails_the_run_with_one_request(k8s: StubControl) -> None:
    snapshots, report = collect(target(k8s.url, token="expired"))
    assert snapshots == [] and report.status == "failed"
    first, *rest = report.failures
    assert (first.operation, first.error) == ("list_namespace", "Unauthorized: Unauthorized")
    assert len(rest) == len(KINDS) - 1 and all(f.error.startswith("NotAttempted: ") for f in rest)
    assert [r["status"] for r in k8s.requests()] == [401]


def test_an_unreachable_server_fails_the_run() -> None:
    _, report = collect(target(f"http://127.0.0.1:{free_port()}"))
    assert report.status == "failed" and len(report.failures) == len(KINDS)
    assert report.failures[0].error.startswith("NewConnectionError: ")


def test_kubeconfig_and_context(k8s: StubControl, tmp_path: Path) -> None:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "stub", "cluster": {"server": k8s.url}}],
        "users": [
            {"name": "collector", "user": {"token": DEFAULT_TOKEN}},
            {"name": "nobody", "user": {"token": "x"}},
        ],
        "contexts": [
            {"name": "aks-dr", "context": {"cluster": "stub", "user": "collector"}},
            {"name": "other", "context": {"cluster": "stub", "user": "nobody"}},
        ],
        "current-context": "other",
    }
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(config))
    _, report = collect(KubernetesTarget(name=CLUSTER, kubeconfig=str(path), context="aks-dr"))
    assert report.status == "complete"
    _, missing = collect(KubernetesTarget(name=CLUSTER, kubeconfig=str(tmp_path / "absent")))
    (failure,) = missing.failures
    assert missing.status == "failed" and (failure.service, failure.operation) == ("kubeconfig", "load")


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubControl]:
    yield from _start(tmp_path_factory.mktemp("k8s-capped"), page_size=3)


def test_the_server_may_page_smaller_than_asked(capped_server: StubControl, collected: Collected) -> None:
    _, report = collect(target(capped_server.url, page_size=500))
    assert dict(report.counts) == dict(collected[1].counts)
    pods = [r for r in capped_server.requests() if r["path"] == PODS]
    assert len(pods) == 6  # 17 pods, three a page
