"""The API client for a Kubernetes target, and the kinds the live collector lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubernetes import config
from kubernetes.client import (
    ApiClient,
    AppsV1Api,
    BatchV1Api,
    Configuration,
    CoreV1Api,
    NetworkingV1Api,
    RbacAuthorizationV1Api,
)
from kubernetes.config.config_exception import ConfigException

from collectors.runtime import KubernetesTarget

RBAC = "rbac.authorization.k8s.io/v1"


@dataclass(frozen=True)
class Kind:
    """One kind: its group/version, the snapshot type it becomes, and the client method that lists it."""

    kind: str
    api_version: str
    snapshot_type: str
    api: type[Any]
    method: str
    table: bool = False  # listed as a Table of object metadata: the values never leave the server


KINDS: tuple[Kind, ...] = (
    Kind("Namespace", "v1", "k8s.namespace", CoreV1Api, "list_namespace"),
    Kind("Pod", "v1", "k8s.pod", CoreV1Api, "list_pod_for_all_namespaces"),
    Kind("Deployment", "apps/v1", "k8s.pod", AppsV1Api, "list_deployment_for_all_namespaces"),
    Kind("StatefulSet", "apps/v1", "k8s.pod", AppsV1Api, "list_stateful_set_for_all_namespaces"),
    Kind("DaemonSet", "apps/v1", "k8s.pod", AppsV1Api, "list_daemon_set_for_all_namespaces"),
    Kind("Job", "batch/v1", "k8s.pod", BatchV1Api, "list_job_for_all_namespaces"),
    Kind("CronJob", "batch/v1", "k8s.pod", BatchV1Api, "list_cron_job_for_all_namespaces"),
    Kind("Role", RBAC, "k8s.role", RbacAuthorizationV1Api, "list_role_for_all_namespaces"),
    Kind("ClusterRole", RBAC, "k8s.role", RbacAuthorizationV1Api, "list_cluster_role"),
    Kind(
        "RoleBinding",
        RBAC,
        "k8s.role_binding",
        RbacAuthorizationV1Api,
        "list_role_binding_for_all_namespaces",
    ),
    Kind("ClusterRoleBinding", RBAC, "k8s.role_binding", RbacAuthorizationV1Api, "list_cluster_role_binding"),
    Kind(
        "NetworkPolicy",
        "networking.k8s.io/v1",
        "k8s.network_policy",
        NetworkingV1Api,
        "list_network_policy_for_all_namespaces",
    ),
    Kind("ServiceAccount", "v1", "k8s.service_account", CoreV1Api, "list_service_account_for_all_namespaces"),
    Kind("Secret", "v1", "k8s.secret", CoreV1Api, "list_secret_for_all_namespaces", table=True),
)


# What loading a kubeconfig raises when it is missing, unreadable or names no usable context.
CONFIG_ERRORS: tuple[type[Exception], ...] = (ConfigException, OSError, ValueError)


def api_client(target: KubernetesTarget) -> ApiClient:
    """A client for the API server and token given, else for the kubeconfig (and context) given or current.

    urllib3's own retries are off: the collector retries, and counts each retry.
    """
    conf = Configuration()
    if target.api_server is not None and target.token is not None:
        conf.host = target.api_server
        conf.api_key = {"BearerToken": target.token}
        conf.api_key_prefix = {"BearerToken": "Bearer"}
    else:
        config.load_kube_config(
            config_file=target.kubeconfig, context=target.context, client_configuration=conf
        )
    if target.ca_file:
        conf.ssl_ca_cert = target.ca_file
    conf.verify_ssl = target.verify_tls and conf.verify_ssl
    conf.retries = False
    return ApiClient(conf)
