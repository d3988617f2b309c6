"""EKS control planes: endpoint exposure, secrets encryption, control-plane logging, version."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, tag_map

CLUSTER = "aws.eks.cluster"


def _secrets_key(cluster: dict[str, Any]) -> str | None:
    for config in cluster.get("encryptionConfig") or ():
        if "secrets" in (config.get("resources") or ()):
            return (config.get("provider") or {}).get("keyArn")
    return None


def _log_types(cluster: dict[str, Any]) -> list[str]:
    entries = (cluster.get("logging") or {}).get("clusterLogging") or ()
    return [t for entry in entries if entry.get("enabled") for t in entry.get("types") or ()]


def cluster_attributes(cluster: dict[str, Any]) -> dict[str, Any]:
    network = cluster.get("resourcesVpcConfig") or {}
    return compact(
        {
            "name": cluster["name"],
            "version": cluster.get("version"),
            "endpoint_public_access": network.get("endpointPublicAccess"),
            "endpoint_private_access": network.get("endpointPrivateAccess"),
            "public_access_cidrs": network.get("publicAccessCidrs") or None,  # none: AWS opens 0.0.0.0/0
            "secrets_encryption_key": _secrets_key(cluster),
            "enabled_log_types": _log_types(cluster),
            "tags": tag_map(cluster.get("tags")),
        }
    )


def clusters(api: Api) -> None:
    for name in (n for page in api.pages("list_clusters") for n in page.get("clusters") or ()):
        with api.isolated(api.arn("eks", f"cluster/{name}")):
            cluster = body(api.call("describe_cluster", name=name))["cluster"]
            api.emit(
                CLUSTER, id=cluster["arn"], name=name, attributes=cluster_attributes(cluster), raw=cluster
            )


STEPS = (Step("eks", (CLUSTER,), clusters, ("eks:ListClusters", "eks:DescribeCluster")),)
