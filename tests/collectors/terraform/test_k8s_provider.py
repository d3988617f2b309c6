"""Terraform's kubernetes provider resources and the same objects as manifests: the same k8s.* snapshots and
the same verdicts from every policy; unknown values stay visible and never pass."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.gate.merge import AddressIndex
from assay.pipeline import observe
from assay.settings import Settings
from collectors.kubernetes import read_manifests
from collectors.snapshot import ResourceSnapshot
from collectors.terraform import MapContext, mappers, read_terraform
from policies import Evaluation, evaluate, load_policies

FIXTURES = Path(__file__).parent / "fixtures" / "k8s"
NOW = datetime(2026, 11, 21, tzinfo=UTC)
KEY = b"test-pseudonym-key"
CONTEXT = MapContext("test", lambda: KEY)
WORKER_IMAGE = "ghcr.io/acme/worker@sha256:1111111111111111111111111111111111111111111111111111111111111111"


def _terraform(path: Path, context: MapContext = CONTEXT) -> dict[str, ResourceSnapshot]:
    read = read_terraform(path, NOW, context=context)
    assert [str(p) for p in read.problems] == []
    return {s.id: s for s in read.snapshots}


def _manifests(path: Path) -> dict[str, ResourceSnapshot]:
    snapshots, problems = read_manifests(path, cluster="test", pseudonym_key=KEY)
    assert problems == []
    return {s.id: s for s in snapshots}


def _verdicts(snapshots: dict[str, ResourceSnapshot]) -> dict[tuple[str, str], str]:
    evaluation = Evaluation(snapshots.values(), controls_for=lambda _: (), now=NOW, sources=("iac",))
    return {
        (j.policy_id, j.resource_id): j.status.value
        for j in evaluate(load_policies(), evaluation)
        if j.resource_id in snapshots
    }


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def both() -> tuple[dict[str, ResourceSnapshot], dict[str, ResourceSnapshot]]:
    return _terraform(FIXTURES / "terraform"), _manifests(FIXTURES / "manifests")


def test_terraform_gives_the_snapshots_manifests_give(
    both: tuple[dict[str, ResourceSnapshot], dict[str, ResourceSnapshot]],
) -> None:
    terraform, manifests = both
    assert len(terraform) == 17 and terraform.keys() == manifests.keys()
    assert {k: (s.type, s.attributes) for k, s in terraform.items()} == {
        k: (s.type, s.attributes) for k, s in manifests.items()
    }
    api = terraform[
        "k8s:test/trading/Deployment/api"
    ]  # its namespace is a reference to the namespace resource
    assert (api.source, api.account, api.name, api.unknown) == ("iac", "test", "api", ())
    assert api.location is not None and api.location.line == 4
    assert api.location.file.endswith("terraform/workloads.tf")
    assert api.collector.startswith("assay-terraform/")
    assert (
        "k8s:test/batch/CronJob/nightly-report" in terraform
    )  # namespace = kubernetes_namespace_v1.batch.id


def test_every_policy_judges_both_alike(
    both: tuple[dict[str, ResourceSnapshot], dict[str, ResourceSnapshot]],
) -> None:
    from_terraform, from_manifests = (_verdicts(s) for s in both)
    assert from_terraform == from_manifests
    expected = {
        ("k8s.pod.no_privileged", "trading/Deployment/api"): "fail",
        ("k8s.pod.no_host_namespaces", "trading/Deployment/api"): "fail",
        ("k8s.pod.no_secret_env", "trading/Deployment/api"): "fail",
        ("k8s.pod.hardened_security_context", "trading/StatefulSet/ledger"): "pass",
        ("k8s.pod.image_pinned", "trading/StatefulSet/ledger"): "pass",
        ("k8s.pod.no_secret_env", "batch/CronJob/nightly-report"): "fail",
        ("k8s.pod.no_host_namespaces", "batch/Pod/debug"): "fail",
        ("k8s.pod.image_pinned", "batch/ReplicationController/legacy-quotes"): "fail",
        ("k8s.pod.no_host_namespaces", "kube-system/DaemonSet/node-logs"): "not_applicable",
        ("k8s.namespace.pod_security_enforced", "_cluster/Namespace/trading"): "pass",
        ("k8s.namespace.pod_security_enforced", "_cluster/Namespace/batch"): "fail",
        ("k8s.namespace.default_deny", "_cluster/Namespace/trading"): "pass",
        ("k8s.namespace.default_deny", "_cluster/Namespace/batch"): "fail",
        ("k8s.rbac.no_wildcards", "_cluster/ClusterRole/ops-debug"): "fail",
        ("k8s.rbac.no_wildcards", "trading/Role/ledger-reader"): "pass",
        ("k8s.rbac.cluster_admin_restricted", "_cluster/ClusterRoleBinding/ops-admins"): "fail",
        ("k8s.rbac.cluster_admin_restricted", "trading/RoleBinding/ledger-reader"): "not_applicable",
    }
    assert {k: from_terraform[(k[0], f"k8s:test/{k[1]}")] for k in expected} == expected


def test_checkov_results_on_the_address_land_on_the_snapshot() -> None:
    read = read_terraform(FIXTURES / "terraform", NOW, context=CONTEXT)
    index = AddressIndex.build([s.id for s in read.snapshots], read.merged)
    assert index.targets("kubernetes_deployment.api") == {"k8s:test/trading/Deployment/api"}
    assert index.targets("kubernetes_cluster_role_binding.ops_admins") == {
        "k8s:test/_cluster/ClusterRoleBinding/ops-admins"
    }


def test_plain_and_v1_forms_read_alike(tmp_path: Path) -> None:
    pairs = [m.tf_types for m in set(mappers().values()) if m.tf_types[0].startswith("kubernetes_")]
    assert len(pairs) == 15 and all(len(p) == 2 for p in pairs)
    swap = {a: b for p in pairs for a, b in (p, p[::-1])}
    for tf in (FIXTURES / "terraform").glob("*.tf"):
        text = re.sub(r"\bkubernetes_\w+", lambda m: swap.get(m.group(0), m.group(0)), tf.read_text())
        (tmp_path / tf.name).write_text(text)
    swapped, original = _terraform(tmp_path), _terraform(FIXTURES / "terraform")
    assert "kubernetes_daemon_set_v1" in (tmp_path / "node.tf").read_text()
    assert {k: s.attributes for k, s in swapped.items()} == {k: s.attributes for k, s in original.items()}


def test_nothing_personal_or_secret_is_kept(
    both: tuple[dict[str, ResourceSnapshot], dict[str, ResourceSnapshot]],
) -> None:
    terraform = both[0]
    text = json.dumps([s.model_dump(mode="json") for s in terraform.values()])
    assert "jane.doe" not in text and "hunter2" not in text
    user = terraform["k8s:test/_cluster/ClusterRoleBinding/ops-admins"].attributes["subjects"][0]
    assert user["name"] == "user:" + hmac.new(KEY, b"jane.doe@example.com", hashlib.sha256).hexdigest()[:16]
    assert terraform["k8s:test/trading/Secret/db"].attributes == {
        "namespace": "trading",
        "name": "db",
        "secret_type": "Opaque",
    }


def test_the_key_is_read_only_when_a_person_is_named(tmp_path: Path) -> None:
    calls: list[int] = []

    def key() -> bytes:
        calls.append(1)
        return KEY

    context = MapContext("test", key)
    shutil.copy(FIXTURES / "terraform" / "workloads.tf", tmp_path)
    assert len(_terraform(tmp_path, context)) == 3
    assert calls == []
    shutil.copy(FIXTURES / "terraform" / "cluster.tf", tmp_path)
    assert len(_terraform(tmp_path, context)) == 13
    assert calls == [1]  # asked once, then kept


IMAGE_FROM_VARIABLE = """
variable "api_image" {
  type        = string
  description = "image of the API, set by the release pipeline"
}

variable "namespace" {
  type = string
}

variable "privileged" {
  type = bool
}

resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = "api"
    namespace = "trading"
  }
  spec {
    selector {
      match_labels = { app = "api" }
    }
    template {
      metadata {
        labels = { app = "api" }
      }
      spec {
        automount_service_account_token = false
        container {
          name  = "api"
          image = var.api_image
          security_context {
            privileged                 = var.privileged
            run_as_non_root            = true
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "deny" {
  metadata {
    name      = "default-deny"
    namespace = var.namespace
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress"]
  }
}
"""


def test_unknown_values_stay_visible_and_never_pass(tmp_path: Path) -> None:
    snapshots = _terraform(_write(tmp_path, IMAGE_FROM_VARIABLE))
    api = snapshots["k8s:test/trading/Deployment/api"]
    (container,) = api.attributes["containers"]
    assert container["image"] == "${var.api_image}"
    assert container["privileged"] is True  # unknown: judged as the value no policy passes
    assert api.unknown_paths == ("containers[0].image", "containers[0].privileged")
    assert "var.api_image has no value" in api.unknown[0].reason
    verdicts = _verdicts(snapshots)
    assert verdicts[("k8s.pod.image_pinned", api.id)] == "unknown"  # never a guess either way
    assert verdicts[("k8s.pod.no_privileged", api.id)] == "unknown"
    assert verdicts[("k8s.pod.hardened_security_context", api.id)] == "pass"  # known settings are judged
    deny = snapshots["kubernetes_network_policy_v1.deny"]  # no namespace known: the Terraform address
    assert (deny.attributes["namespace"], deny.unknown_paths) == ("${var.namespace}", ("namespace",))


PROVIDER_DEFAULTS_TF = """
resource "kubernetes_pod_v1" "worker" {
  metadata {
    name      = "worker"
    namespace = "trading"
  }
  spec {
    security_context {
      run_as_non_root = true
      run_as_user     = 10001
    }
    container {
      name  = "worker"
      image = "ghcr.io/acme/worker@sha256:1111111111111111111111111111111111111111111111111111111111111111"
      security_context {
        allow_privilege_escalation = false
        read_only_root_filesystem  = true
        capabilities {
          drop = ["ALL"]
        }
      }
    }
  }
}
"""

PROVIDER_DEFAULTS_YAML = """
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: trading}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 10001}
  containers:
    - name: worker
      image: ghcr.io/acme/worker@sha256:1111111111111111111111111111111111111111111111111111111111111111
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
"""


def test_provider_defaults_are_what_the_cluster_gets(tmp_path: Path) -> None:
    """The provider sends runAsNonRoot: false for a container security_context that leaves it out, which
    overrides the pod's runAsNonRoot: true; and it mounts the service account token unless told not to."""
    terraform = _terraform(_write(tmp_path, PROVIDER_DEFAULTS_TF))
    (tmp_path / "pod.yaml").write_text(PROVIDER_DEFAULTS_YAML)
    manifest = _manifests(tmp_path / "pod.yaml")
    key = "k8s:test/trading/Pod/worker"
    tf_pod, yaml_pod = terraform[key].attributes, manifest[key].attributes
    assert (tf_pod["automount_service_account_token"], yaml_pod["automount_service_account_token"]) == (
        True,
        None,
    )
    assert (tf_pod["containers"][0]["run_as_non_root"], yaml_pod["containers"][0]["run_as_non_root"]) == (
        False,
        None,
    )
    check = ("k8s.pod.hardened_security_context", key)
    assert (_verdicts(terraform)[check], _verdicts(manifest)[check]) == ("fail", "pass")


def test_a_nested_dynamic_block_is_reported_not_dropped(tmp_path: Path) -> None:
    dynamic_env = """
      dynamic "env" {
        for_each = { LOG_LEVEL = "info", REGION = "eu-west-1" }
        content {
          name  = env.key
          value = env.value
        }
      }
      image ="""
    text = PROVIDER_DEFAULTS_TF.replace("      image =", dynamic_env)
    assert "dynamic" in text
    read = read_terraform(_write(tmp_path, text), NOW, context=CONTEXT)
    assert read.snapshots == []
    (problem,) = read.problems
    assert "kubernetes_pod_v1.worker" in problem.message and "dynamic env" in problem.message


def test_plan_json_gives_the_same_snapshot(tmp_path: Path) -> None:
    """`terraform show -json` holds blocks as lists, maps as objects, unset blocks as [] and the
    provider's defaults written out."""
    container = {
        "name": "worker",
        "image": WORKER_IMAGE,
        "env": [],
        "env_from": [],
        "security_context": [
            {
                "allow_privilege_escalation": False,
                "capabilities": [{"add": [], "drop": ["ALL"]}],
                "privileged": False,
                "read_only_root_filesystem": True,
                "run_as_group": "",
                "run_as_non_root": False,
                "run_as_user": "",
                "seccomp_profile": [],
                "se_linux_options": [],
            }
        ],
    }
    spec = {
        "automount_service_account_token": True,
        "host_network": False,
        "host_pid": False,
        "host_ipc": False,
        "service_account_name": "(known after apply)",
        "security_context": [{"run_as_non_root": True, "run_as_user": "10001", "fs_group": ""}],
        "container": [container],
        "init_container": [],
        "volume": [],
    }
    values = {"metadata": [{"name": "worker", "namespace": "trading", "labels": None}], "spec": [spec]}
    resource = {
        "address": "kubernetes_pod_v1.worker",
        "mode": "managed",
        "type": "kubernetes_pod_v1",
        "name": "worker",
    }
    plan = {"planned_values": {"root_module": {"resources": [{**resource, "values": values}]}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    from_plan = _terraform(tmp_path / "plan.json")["k8s:test/trading/Pod/worker"]
    (tmp_path / "hcl").mkdir()
    from_hcl = _terraform(_write(tmp_path / "hcl", PROVIDER_DEFAULTS_TF))["k8s:test/trading/Pod/worker"]
    assert from_plan.attributes == {**from_hcl.attributes, "service_account_name": "(known after apply)"}
    assert from_plan.unknown_paths == ("service_account_name",)


def test_the_pipeline_names_the_cluster_and_pseudonymises_with_the_settings(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "terraform" / "cluster.tf", tmp_path / "cluster.tf")
    settings = Settings(home=tmp_path / ".assay", cluster_name="prod-eu")
    snapshots = {s.id: s for s in observe(tmp_path, settings, NOW).snapshots}
    binding = snapshots["k8s:prod-eu/_cluster/ClusterRoleBinding/ops-admins"]
    key = settings.pseudonym_key()
    expected = "user:" + hmac.new(key, b"jane.doe@example.com", hashlib.sha256).hexdigest()[:16]
    assert binding.attributes["subjects"][0]["name"] == expected
