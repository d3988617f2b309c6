"""Kubernetes manifests and API objects -> k8s.* snapshots, with nothing personal or secret kept."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest

from collectors.kubernetes import read_manifests, snapshot_from_object
from collectors.problems import Problem
from collectors.snapshot import ResourceSnapshot

FIXTURES = Path(__file__).parent / "fixtures"
KEY = b"test-pseudonym-key"


@pytest.fixture(scope="module")
def read() -> tuple[dict[str, ResourceSnapshot], list[Problem]]:
    snapshots, problems = read_manifests(FIXTURES, cluster="demo", pseudonym_key=KEY)
    return {s.id: s for s in snapshots}, problems


def _runtime(obj: dict[str, Any], key: bytes = KEY) -> ResourceSnapshot | None:
    return snapshot_from_object(
        obj, cluster="live", source="runtime", collector="test", location=None, pseudonym_key=key
    )


def test_deployment_pod_template(read: tuple[dict[str, ResourceSnapshot], list[Problem]]) -> None:
    snap = read[0]["k8s:demo/trading/Deployment/orders"]
    assert (snap.type, snap.source, snap.account, snap.name) == ("k8s.pod", "iac", "demo", "orders")
    assert snap.location is not None and snap.location.line == 9
    assert snap.location.file == (FIXTURES / "apps" / "deployment.yaml").as_posix()
    pod = snap.attributes
    assert (pod["workload_kind"], pod["labels"]) == ("Deployment", {"app": "orders", "tier": "backend"})
    assert (pod["run_as_non_root"], pod["run_as_user"], pod["host_path_volumes"]) == (
        True,
        10001,
        ["/var/log"],
    )
    migrate, api = pod["containers"]
    assert migrate["init"] and not api["init"]
    assert api["capabilities_drop"] == ["ALL"] and api["allow_privilege_escalation"] is False
    assert [(e["name"], e["source"]) for e in api["env"]] == [
        ("DB_PASSWORD", "secret"),
        ("ADMIN_PASSWORD", "value"),
        ("LOG_LEVEL", "config_map"),
        ("POD_IP", "field"),
        ("envFrom", "secret"),
    ]
    assert "hunter2-inline" not in snap.model_dump_json()  # an env var is kept by name and source only


def test_cronjob_template_and_default_namespace(
    read: tuple[dict[str, ResourceSnapshot], list[Problem]],
) -> None:
    pod = read[0]["k8s:demo/default/CronJob/nightly-report"].attributes
    assert (pod["namespace"], pod["workload_kind"], pod["host_network"]) == ("default", "CronJob", True)
    (report,) = pod["containers"]
    assert report["privileged"] and report["capabilities_add"] == ["NET_ADMIN"]


def test_user_subjects_are_pseudonymised(read: tuple[dict[str, ResourceSnapshot], list[Problem]]) -> None:
    binding = read[0]["k8s:demo/_cluster/ClusterRoleBinding/ops-admins"]
    expected = "user:" + hmac.new(KEY, b"jane.doe@example.com", hashlib.sha256).hexdigest()[:16]
    assert binding.attributes["subjects"] == [
        {"kind": "User", "name": expected, "namespace": None},
        {"kind": "Group", "name": "platform-ops", "namespace": None},
        {"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"},
    ]
    assert "jane.doe" not in binding.model_dump_json()
    assert binding.location is not None and binding.location.line == 15  # the item's line inside the List
    anonymous = read[0]["k8s:demo/trading/RoleBinding/readers"].attributes["subjects"][0]
    assert anonymous["name"] == "system:anonymous"  # Kubernetes' own identities name no person


def test_pseudonym_depends_on_the_key() -> None:
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "b"},
        "roleRef": {"kind": "Role", "name": "r"},
        "subjects": [{"kind": "User", "name": "jane.doe@example.com"}],
    }
    one, other = _runtime(binding, b"key-one"), _runtime(binding, b"key-two")
    assert one is not None and other is not None
    assert one.attributes["subjects"][0]["name"] != other.attributes["subjects"][0]["name"]
    assert one.raw_sha256 != other.raw_sha256  # the digest is of the pseudonymised object


def test_secret_keeps_metadata_only(read: tuple[dict[str, ResourceSnapshot], list[Problem]]) -> None:
    snap = read[0]["k8s:demo/trading/Secret/orders-db"]
    assert snap.attributes == {
        "namespace": "trading",
        "name": "orders-db",
        "secret_type": "kubernetes.io/basic-auth",
    }
    body = snap.model_dump_json()
    for value in ("czNjcjN0LXZhbHVl", "s3cr3t-value", "orders-admin-plaintext"):
        assert value not in body


def test_secret_digest_ignores_its_data() -> None:
    def secret(data: str) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": data}}

    first, second = _runtime(secret("YQ==")), _runtime(secret("Yg=="))
    assert first is not None and second is not None
    assert first.raw_sha256 == second.raw_sha256
    assert (first.id, first.attributes["secret_type"]) == ("k8s:live/default/Secret/s", "Opaque")


def test_rbac_network_policies_and_service_accounts(
    read: tuple[dict[str, ResourceSnapshot], list[Problem]],
) -> None:
    snaps = read[0]
    role = snaps["k8s:demo/_cluster/ClusterRole/everything"].attributes
    assert role["rules"][0]["verbs"] == ["*"] and role["rules"][1]["non_resource_urls"] == ["/metrics"]
    deny = snaps["k8s:demo/trading/NetworkPolicy/default-deny"].attributes
    assert (deny["pod_selector"], deny["policy_types"], deny["ingress_rule_count"]) == (
        {},
        ["Ingress", "Egress"],
        0,
    )
    web = snaps["k8s:demo/trading/NetworkPolicy/allow-web"].attributes
    assert (web["policy_types"], web["selector_has_expressions"], web["ingress_rule_count"]) == (
        ["Ingress"],
        True,
        1,
    )
    account = snaps["k8s:demo/trading/ServiceAccount/orders"].attributes
    assert account["automount_service_account_token"] is False
    labels = snaps["k8s:demo/_cluster/Namespace/trading"].attributes["labels"]
    assert labels == {"pod-security.kubernetes.io/enforce": "restricted"}


def test_unread_kinds_are_skipped(read: tuple[dict[str, ResourceSnapshot], list[Problem]]) -> None:
    kinds = {s.id.split("/")[2] for s in read[0].values()}
    assert "Service" not in kinds  # no policy reads Services
    assert not any(s.name == "not-rbac" for s in read[0].values())  # a custom resource named Role
    assert _runtime({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}) is None


def test_broken_yaml_is_a_problem_and_the_rest_loads(
    read: tuple[dict[str, ResourceSnapshot], list[Problem]],
) -> None:
    snapshots, problems = read
    bad = (FIXTURES / "broken" / "bad.yaml").as_posix()
    noname = (FIXTURES / "broken" / "noname.yaml").as_posix()
    assert [(p.file, p.line) for p in problems] == [(bad, 10), (noname, 1)]
    assert "not valid YAML" in problems[0].message and "metadata.name" in problems[1].message
    assert "k8s:demo/_cluster/Namespace/before-the-error" in snapshots  # documents before the error
    assert len(snapshots) == 11


def test_runtime_pod_object() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "orders-7d9f",
            "managedFields": [{"manager": "kubelet"}],
            "labels": {"app": "o"},
        },
        "spec": {"hostPID": True, "containers": [{"name": "c", "image": "nginx"}]},
    }
    snap = _runtime(pod)
    assert snap is not None
    assert (snap.id, snap.source, snap.location) == ("k8s:live/default/Pod/orders-7d9f", "runtime", None)
    assert (snap.attributes["host_pid"], snap.attributes["labels"]) == (True, {"app": "o"})


def test_single_file_path() -> None:
    snapshots, problems = read_manifests(FIXTURES / "apps" / "cronjob.yml", cluster="c", pseudonym_key=KEY)
    assert problems == [] and [s.id for s in snapshots] == ["k8s:c/default/CronJob/nightly-report"]
