"""RDS and Aurora: clusters with the values their cluster parameter group sets, and DB instances."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import compact, tag_map

CLUSTER = "aws.rds.cluster"
INSTANCE = "aws.rds.instance"


def _parameters(api: Api, group: str | None, cache: dict[str, dict[str, str]]) -> dict[str, str]:
    """The values a cluster parameter group sets itself (Source=user), as the Terraform group declares them.

    AWS's default groups ("default.<family>") cannot be changed, so they set nothing of their own.
    """
    if not group or group.startswith("default."):
        return {}
    if group not in cache:
        cache[group] = {
            str(p["ParameterName"]): str(p.get("ParameterValue", ""))
            for p in api.items(
                "describe_db_cluster_parameters",
                "Parameters",
                DBClusterParameterGroupName=group,
                Source="user",
            )
        }
    return cache[group]


def cluster_attributes(cluster: dict[str, Any], parameters: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            "identifier": cluster["DBClusterIdentifier"],
            "engine": cluster.get("Engine"),
            "engine_version": cluster.get("EngineVersion"),
            "storage_encrypted": bool(cluster.get("StorageEncrypted")),
            "kms_key_id": cluster.get("KmsKeyId"),
            "backup_retention_period": cluster.get("BackupRetentionPeriod"),
            "deletion_protection": bool(cluster.get("DeletionProtection")),
            "iam_database_authentication_enabled": bool(cluster.get("IAMDatabaseAuthenticationEnabled")),
            "enabled_cloudwatch_logs_exports": list(cluster.get("EnabledCloudwatchLogsExports") or ()),
            "parameter_group_name": cluster.get("DBClusterParameterGroup"),
            "parameters": parameters,
            "tags": tag_map(cluster.get("TagList")),
        }
    )


def clusters(api: Api) -> None:
    cache: dict[str, dict[str, str]] = {}
    for cluster in api.items("describe_db_clusters", "DBClusters"):
        arn = str(cluster["DBClusterArn"])
        with api.isolated(arn):
            parameters = _parameters(api, cluster.get("DBClusterParameterGroup"), cache)
            api.emit(
                CLUSTER,
                id=arn,
                name=cluster["DBClusterIdentifier"],
                attributes=cluster_attributes(cluster, parameters),
                raw={"cluster": cluster, "parameters": parameters},
            )


def instance_attributes(instance: dict[str, Any]) -> dict[str, Any]:
    member = instance.get("DBClusterIdentifier")
    return compact(
        {
            "identifier": instance["DBInstanceIdentifier"],
            "engine": instance.get("Engine"),
            "cluster_identifier": member,
            "publicly_accessible": bool(instance.get("PubliclyAccessible")),
            # An Aurora member's storage is the cluster's: judged there, as the Terraform mapper does.
            "storage_encrypted": None if member else bool(instance.get("StorageEncrypted")),
            "auto_minor_version_upgrade": instance.get("AutoMinorVersionUpgrade"),
            "tags": tag_map(instance.get("TagList")),
        }
    )


def instances(api: Api) -> None:
    for instance in api.items("describe_db_instances", "DBInstances"):
        api.emit(
            INSTANCE,
            id=instance["DBInstanceArn"],
            name=instance["DBInstanceIdentifier"],
            attributes=instance_attributes(instance),
            raw=instance,
        )


STEPS = (
    Step("rds", (CLUSTER,), clusters, ("rds:DescribeDBClusters", "rds:DescribeDBClusterParameters")),
    Step("rds", (INSTANCE,), instances, ("rds:DescribeDBInstances",)),
)
