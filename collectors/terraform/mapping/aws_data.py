"""Data stores and their keys: RDS clusters and instances, ElastiCache, KMS, Secrets Manager, AWS Backup."""

from __future__ import annotations

from typing import Any

from collectors.terraform.mapping.aws_common import (
    compact,
    integer,
    name_or_address,
    referenced,
    strings,
    tags,
    text,
    upper,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource, is_reference


def _cluster_parameters(res: TfResource, model: TfModel) -> tuple[str | None, dict[str, str]]:
    """The cluster parameter group's name and the values it sets (name -> value, as strings)."""
    attr = "db_cluster_parameter_group_name"
    group = referenced(res, attr, model, "aws_rds_cluster_parameter_group", "name")
    if group is None:
        return text(res.values.get(attr)), {}
    parameters = {
        str(block["name"]): text(block.get("value")) or ""
        for block in group.blocks("parameter")
        if known(block.get("name")) is not None
    }
    return text(group.values.get("name")) or text(res.values.get(attr)), parameters


@mapper("aws_rds_cluster", snapshot_type="aws.rds.cluster", name_attribute="identifier")
def rds_cluster(res: TfResource, model: TfModel) -> dict[str, Any]:
    group_name, parameters = _cluster_parameters(res, model)
    # The provider: storage_encrypted defaults to false, except for engine_mode "serverless" (true).
    serverless = known(res.values.get("engine_mode")) == "serverless"
    return compact(
        {
            "identifier": name_or_address(res, "cluster_identifier"),
            "engine": text(known(res.values.get("engine"))),
            "engine_version": text(known(res.values.get("engine_version"))),
            "storage_encrypted": flag(res.values.get("storage_encrypted"), default=serverless),
            "kms_key_id": text(res.values.get("kms_key_id")),
            "backup_retention_period": integer(res.values.get("backup_retention_period")),
            "deletion_protection": flag(res.values.get("deletion_protection")),
            "iam_database_authentication_enabled": flag(
                res.values.get("iam_database_authentication_enabled")
            ),
            "enabled_cloudwatch_logs_exports": strings(res.values.get("enabled_cloudwatch_logs_exports")),
            "parameter_group_name": group_name,
            "parameters": parameters,
            "tags": tags(res),
        }
    )


def _instance_common(res: TfResource) -> dict[str, Any]:
    return {
        "identifier": name_or_address(res, "identifier"),
        "engine": text(known(res.values.get("engine"))),
        "publicly_accessible": flag(res.values.get("publicly_accessible")),
        "auto_minor_version_upgrade": flag(res.values.get("auto_minor_version_upgrade"), default=True),
        "tags": tags(res),
    }


@mapper("aws_db_instance", snapshot_type="aws.rds.instance", name_attribute="identifier")
def db_instance(res: TfResource, model: TfModel) -> dict[str, Any]:
    attributes = _instance_common(res)
    attributes["storage_encrypted"] = flag(res.values.get("storage_encrypted"))
    return compact(attributes)


@mapper("aws_rds_cluster_instance", snapshot_type="aws.rds.instance", name_attribute="identifier")
def rds_cluster_instance(res: TfResource, model: TfModel) -> dict[str, Any]:
    """An Aurora cluster member: storage encryption is the cluster's, so it stays None here."""
    attributes = _instance_common(res)
    cluster = referenced(res, "cluster_identifier", model, "aws_rds_cluster", "cluster_identifier")
    attributes["cluster_identifier"] = (
        name_or_address(cluster, "cluster_identifier")
        if cluster is not None
        else text(res.values.get("cluster_identifier"))
    )
    return compact(attributes)


@mapper("aws_kms_key", snapshot_type="aws.kms.key")
def kms_key(res: TfResource, model: TfModel) -> dict[str, Any]:
    return compact(
        {
            "description": text(res.values.get("description")),
            "key_usage": text(known(res.values.get("key_usage"))),
            "key_spec": text(known(res.values.get("customer_master_key_spec"))),
            "enabled": flag(res.values.get("is_enabled"), default=True),
            "rotation_enabled": flag(res.values.get("enable_key_rotation")),
            "rotation_period_days": integer(res.values.get("rotation_period_in_days")),
            # The provider (and KMS) wait 30 days before deleting a key unless told otherwise.
            "deletion_window_days": integer(res.get("deletion_window_in_days", 30)),
            "multi_region": flag(res.values.get("multi_region")),
            "tags": tags(res),
        }
    )


def _has_value(value: Any) -> bool:
    """Set to something: a literal, a reference to a generated secret, or a non-empty list.

    A `${...}` value counts: an input with no value (a required, sensitive token), a data source or a
    generated password is present, whatever its value turns out to be.
    """
    return bool(value) if isinstance(value, list | dict | str) else value is not None


def _auth_required(res: TfResource) -> bool:
    """An AUTH token the apply keeps (strategy DELETE removes it), or an RBAC user group."""
    deleting = upper(res.values.get("auth_token_update_strategy")) == "DELETE"
    token = _has_value(res.values.get("auth_token")) and not deleting
    return token or bool(strings(res.values.get("user_group_ids")))


@mapper(
    "aws_elasticache_replication_group",
    snapshot_type="aws.elasticache.replication_group",
    name_attribute="replication_group_id",
)
def elasticache_replication_group(res: TfResource, model: TfModel) -> dict[str, Any]:
    return compact(
        {
            "replication_group_id": name_or_address(res, "replication_group_id"),
            "engine": text(known(res.values.get("engine"))),
            "at_rest_encryption_enabled": flag(res.values.get("at_rest_encryption_enabled")),
            "transit_encryption_enabled": flag(res.values.get("transit_encryption_enabled")),
            "auth_token_enabled": _auth_required(res),  # the token itself never leaves the Terraform source
            "kms_key_id": text(res.values.get("kms_key_id")),
            "automatic_failover_enabled": flag(res.values.get("automatic_failover_enabled")),
            "multi_az_enabled": flag(res.values.get("multi_az_enabled")),
            "snapshot_retention_limit": integer(res.values.get("snapshot_retention_limit")),
            "tags": tags(res),
        }
    )


def _rotation_rules(rotation: TfResource) -> dict[str, Any]:
    """The interval as written: a day count and a rate()/cron() schedule, each kept as its `${...}` text
    when Terraform cannot know it (an input without a value says "unknown", never "no interval")."""
    if is_reference(rotation.values.get("rotation_rules")):  # the whole block from an unknown object
        return {"rotation_schedule": rotation.values["rotation_rules"]}
    rules = rotation.block("rotation_rules")
    days = rules.get("automatically_after_days")
    return {
        # a plan states the one not set as 0 / "": neither is an interval
        "rotation_days": days if is_reference(days) else integer(days) or None,
        "rotation_schedule": text(rules.get("schedule_expression")) or None,
    }


@mapper("aws_secretsmanager_secret", snapshot_type="aws.secretsmanager.secret", name_attribute="name")
def secretsmanager_secret(res: TfResource, model: TfModel) -> dict[str, Any]:
    rotations = model.children(
        res, "aws_secretsmanager_secret_rotation", "secret_id", match_values=[res.values.get("name")]
    )
    return compact(
        {
            "name": name_or_address(res, "name"),
            "kms_key_id": text(res.values.get("kms_key_id")),
            "rotation_enabled": bool(rotations),
            **(_rotation_rules(rotations[0]) if rotations else {}),
            "tags": tags(res),
        }
    )


@mapper("aws_backup_vault", snapshot_type="aws.backup.vault", name_attribute="name")
def backup_vault(res: TfResource, model: TfModel) -> dict[str, Any]:
    locks = model.children(
        res,
        "aws_backup_vault_lock_configuration",
        "backup_vault_name",
        match_values=[res.values.get("name")],
    )
    attributes: dict[str, Any] = {
        "name": name_or_address(res, "name"),
        "kms_key_arn": text(res.values.get("kms_key_arn")),
        "tags": tags(res),
    }
    if locks:
        lock = locks[0]
        # With changeable_for_days the lock hardens into compliance mode after the grace period;
        # without it the vault stays in governance mode, removable by privileged users.
        compliance = lock.values.get("changeable_for_days") is not None
        attributes.update(
            locked=True,
            lock_mode="compliance" if compliance else "governance",
            min_retention_days=integer(lock.values.get("min_retention_days")),
        )
    return compact(attributes)
