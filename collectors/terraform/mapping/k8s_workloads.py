"""kubernetes_pod, _deployment, _stateful_set, _daemonset, _job, _cron_job, _replication_controller (plain and
_v1) -> k8s.pod snapshots of their pod templates, the same as their manifests give."""

from __future__ import annotations

from collectors.terraform.mapping._k8s_mapper import kubernetes_mapper

_SPEC = {"spec": "spec"}

POD = kubernetes_mapper(
    "kubernetes_pod", "kubernetes_pod_v1", kind="Pod", api_version="v1", snapshot_type="k8s.pod", fields=_SPEC
)
DEPLOYMENT = kubernetes_mapper(
    "kubernetes_deployment",
    "kubernetes_deployment_v1",
    kind="Deployment",
    api_version="apps/v1",
    snapshot_type="k8s.pod",
    fields=_SPEC,
)
STATEFUL_SET = kubernetes_mapper(
    "kubernetes_stateful_set",
    "kubernetes_stateful_set_v1",
    kind="StatefulSet",
    api_version="apps/v1",
    snapshot_type="k8s.pod",
    fields=_SPEC,
)
DAEMON_SET = kubernetes_mapper(
    "kubernetes_daemonset",  # the deprecated form is spelt without the underscore
    "kubernetes_daemon_set_v1",
    kind="DaemonSet",
    api_version="apps/v1",
    snapshot_type="k8s.pod",
    fields=_SPEC,
)
JOB = kubernetes_mapper(
    "kubernetes_job",
    "kubernetes_job_v1",
    kind="Job",
    api_version="batch/v1",
    snapshot_type="k8s.pod",
    fields=_SPEC,
)
CRON_JOB = kubernetes_mapper(
    "kubernetes_cron_job",  # batch/v1beta1 in the provider, with the same spec { job_template {} } blocks
    "kubernetes_cron_job_v1",
    kind="CronJob",
    api_version="batch/v1",
    snapshot_type="k8s.pod",
    fields=_SPEC,
)
REPLICATION_CONTROLLER = kubernetes_mapper(
    "kubernetes_replication_controller",
    "kubernetes_replication_controller_v1",
    kind="ReplicationController",
    api_version="v1",
    snapshot_type="k8s.pod",
    fields=_SPEC,
)
