"""kubernetes_role, _cluster_role, _role_binding, _cluster_role_binding, _service_account and _secret
(plain and _v1) -> k8s.* snapshots, the same as their manifests give: User subjects pseudonymised, Secrets
by metadata and type only (`data` and `binary_data` are never read)."""

from __future__ import annotations

from collectors.terraform.mapping._k8s_mapper import kubernetes_mapper

_RBAC = "rbac.authorization.k8s.io/v1"
_BINDING = {"role_ref": "roleRef", "subject": "subjects"}

ROLE = kubernetes_mapper(
    "kubernetes_role",
    "kubernetes_role_v1",
    kind="Role",
    api_version=_RBAC,
    snapshot_type="k8s.role",
    fields={"rule": "rules"},
)
CLUSTER_ROLE = kubernetes_mapper(
    "kubernetes_cluster_role",
    "kubernetes_cluster_role_v1",
    kind="ClusterRole",
    api_version=_RBAC,
    snapshot_type="k8s.role",
    fields={"rule": "rules", "aggregation_rule": "aggregationRule"},
)
ROLE_BINDING = kubernetes_mapper(
    "kubernetes_role_binding",
    "kubernetes_role_binding_v1",
    kind="RoleBinding",
    api_version=_RBAC,
    snapshot_type="k8s.role_binding",
    fields=_BINDING,
)
CLUSTER_ROLE_BINDING = kubernetes_mapper(
    "kubernetes_cluster_role_binding",
    "kubernetes_cluster_role_binding_v1",
    kind="ClusterRoleBinding",
    api_version=_RBAC,
    snapshot_type="k8s.role_binding",
    fields=_BINDING,
)
SERVICE_ACCOUNT = kubernetes_mapper(
    "kubernetes_service_account",
    "kubernetes_service_account_v1",
    kind="ServiceAccount",
    api_version="v1",
    snapshot_type="k8s.service_account",
    fields={
        "automount_service_account_token": "automountServiceAccountToken",
        "secret": "secrets",
        "image_pull_secret": "imagePullSecrets",
    },
)
SECRET = kubernetes_mapper(
    "kubernetes_secret",
    "kubernetes_secret_v1",
    kind="Secret",
    api_version="v1",
    snapshot_type="k8s.secret",
    fields={"type": "type", "immutable": "immutable"},  # never data, binary_data or their write-only forms
)
