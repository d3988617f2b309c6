"""Kubernetes snapshot types, shared by the manifest reader and the API collector.

Secrets are read by metadata only, environment variables by name and source only: no values ever.
"""

from __future__ import annotations

from collectors.schema.base import BOTH, Attrs, type_table


class EnvVar(Attrs):
    name: str
    source: str  # value | secret | config_map | field | resource


class Container(Attrs):
    name: str
    image: str
    init: bool = False
    privileged: bool = False
    allow_privilege_escalation: bool | None = None  # None: not set (Kubernetes defaults to true)
    run_as_non_root: bool | None = None
    run_as_user: int | None = None
    read_only_root_filesystem: bool = False
    capabilities_add: list[str] = []
    capabilities_drop: list[str] = []
    env: list[EnvVar] = []


class Pod(Attrs):
    """A running pod, or the pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob)."""

    namespace: str
    name: str
    workload_kind: str = "Pod"
    labels: dict[str, str] = {}
    service_account_name: str | None = None
    automount_service_account_token: bool | None = None
    host_network: bool = False
    host_pid: bool = False
    host_ipc: bool = False
    host_path_volumes: list[str] = []
    run_as_non_root: bool | None = None  # pod-level securityContext
    run_as_user: int | None = None
    containers: list[Container] = []


class Namespace(Attrs):
    name: str
    labels: dict[str, str] = {}


class PolicyRule(Attrs):
    api_groups: list[str] = []
    resources: list[str] = []
    verbs: list[str] = []
    resource_names: list[str] = []
    non_resource_urls: list[str] = []


class Role(Attrs):
    name: str
    kind: str  # Role | ClusterRole
    namespace: str | None = None
    rules: list[PolicyRule] = []


class Subject(Attrs):
    kind: str  # User | Group | ServiceAccount
    name: str  # a User's name is pseudonymised by the collector
    namespace: str | None = None


class RoleBinding(Attrs):
    name: str
    kind: str  # RoleBinding | ClusterRoleBinding
    namespace: str | None = None
    role_kind: str
    role_name: str
    subjects: list[Subject] = []


class NetworkPolicy(Attrs):
    namespace: str
    name: str
    pod_selector: dict[str, str] = {}  # matchLabels; empty selects every pod
    selector_has_expressions: bool = False
    policy_types: list[str] = []
    ingress_rule_count: int = 0
    egress_rule_count: int = 0


class ServiceAccount(Attrs):
    namespace: str
    name: str
    automount_service_account_token: bool | None = None


class Secret(Attrs):
    namespace: str
    name: str
    secret_type: str = "Opaque"


TYPES = type_table(
    "kubernetes",
    [
        ("k8s.namespace", Namespace, BOTH, "namespace and its Pod Security labels"),
        ("k8s.pod", Pod, BOTH, "pod or workload pod template"),
        ("k8s.role", Role, BOTH, "Role or ClusterRole"),
        ("k8s.role_binding", RoleBinding, BOTH, "RoleBinding or ClusterRoleBinding"),
        ("k8s.network_policy", NetworkPolicy, BOTH, "NetworkPolicy"),
        ("k8s.service_account", ServiceAccount, BOTH, "ServiceAccount"),
        ("k8s.secret", Secret, BOTH, "Secret, metadata only"),
    ],
)
