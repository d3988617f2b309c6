"""Data stores read from moto: S3 (buckets, account block), KMS, RDS, ElastiCache, Backup, Secrets."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from tests.collectors.aws.conftest import Account, unique

FULL_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


def _seed_locked_bucket(s3: Any, name: str, logs: str, key_arn: str) -> None:
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=FULL_BLOCK)
    s3.put_bucket_logging(
        Bucket=name, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": "access/"}}
    )
    s3.put_object_lock_configuration(
        Bucket=name,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 400}},
        },
    )
    rule = {
        "ID": "expire",
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "Expiration": {"Days": 30},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
    }
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [rule]})
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(TLS_ONLY))
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "data_category", "Value": "personal"}]})


def test_s3_bucket_with_every_setting(account: Account) -> None:
    key_arn = account.client("kms").create_key(Description="bucket key")["KeyMetadata"]["Arn"]
    s3 = account.client("s3")
    locked, logs = unique("locked"), unique("access-logs")
    s3.create_bucket(Bucket=logs, ACL="log-delivery-write")
    _seed_locked_bucket(s3, locked, logs, key_arn)

    run = account.collect()

    assert run.report.status == "complete", run.report.failures
    assert run.report.counts["aws.s3.bucket"] == 2
    good = run.named("aws.s3.bucket", locked)
    assert good.id == f"arn:aws:s3:::{locked}" and good.region == "us-east-1"
    assert good.account == account.account_id and good.source == "runtime"
    assert good.attributes == {
        "name": locked,
        "tags": {"data_category": "personal"},
        "encryption": {"algorithm": "aws:kms", "kms_key_id": key_arn, "bucket_key_enabled": True},
        "public_access_block": {
            "block_public_acls": True,
            "block_public_policy": True,
            "ignore_public_acls": True,
            "restrict_public_buckets": True,
        },
        "versioning_enabled": True,  # Object Lock turns versioning on
        "mfa_delete": None,
        "logging": {"target_bucket": logs, "target_prefix": "access/"},
        "object_lock": {"enabled": True, "mode": "COMPLIANCE", "days": 400, "years": None},
        "lifecycle_rules": [
            {"id": "expire", "enabled": True, "expiration_days": 30, "noncurrent_expiration_days": 7}
        ],
        "policy": TLS_ONLY,
    }


def test_s3_bucket_without_configuration_is_read_in_its_region(account: Account) -> None:
    bare = unique("bare")
    account.client("s3", "eu-west-1").create_bucket(
        Bucket=bare, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    plain = account.collect().named("aws.s3.bucket", bare)

    assert plain.region == "eu-west-1"
    assert plain.attributes["encryption"]["algorithm"] == "AES256"  # S3's default without a configuration
    assert plain.attributes["public_access_block"] is None
    assert plain.attributes["versioning_enabled"] is False
    assert plain.attributes["logging"] is None and plain.attributes["object_lock"] is None
    assert plain.attributes["policy"] is None and plain.attributes["lifecycle_rules"] == []


def test_account_public_access_block_is_read_only_when_configured(account: Account) -> None:
    assert account.collect().of("aws.s3.account_public_access_block") == []  # the policy then says missing

    partial_block = {**FULL_BLOCK, "RestrictPublicBuckets": False}
    control = account.client("s3control")
    control.put_public_access_block(
        AccountId=account.account_id, PublicAccessBlockConfiguration=partial_block
    )
    (block,) = account.collect().of("aws.s3.account_public_access_block")
    assert block.attributes == {
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": True,
        "restrict_public_buckets": False,
        "account_id": account.account_id,
    }


def test_kms_keys_with_rotation_usage_and_tags(account: Account) -> None:
    kms = account.client("kms")
    rotating = kms.create_key(Description="rotating", Tags=[{"TagKey": "team", "TagValue": "data"}])
    kms.enable_key_rotation(KeyId=rotating["KeyMetadata"]["KeyId"])
    still = kms.create_key(Description="not rotating")
    signing = kms.create_key(Description="signing", KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")

    keys = {s.attributes["description"]: s for s in account.collect().of("aws.kms.key")}

    assert keys["rotating"].id == rotating["KeyMetadata"]["Arn"]
    assert keys["rotating"].attributes["rotation_enabled"] is True
    assert keys["rotating"].attributes["tags"] == {"team": "data"}
    assert keys["rotating"].attributes["key_manager"] == "CUSTOMER"
    assert keys["not rotating"].id == still["KeyMetadata"]["Arn"]
    assert keys["not rotating"].attributes["rotation_enabled"] is False
    assert keys["signing"].id == signing["KeyMetadata"]["Arn"]
    assert keys["signing"].attributes["key_usage"] == "SIGN_VERIFY"
    assert keys["signing"].attributes["key_spec"] == "ECC_NIST_P256"


def _seed_rds(account: Account) -> None:
    rds = account.client("rds")
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="tls-only",
        DBParameterGroupFamily="aurora-postgresql15",
        Description="tls",
    )
    force_ssl = {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
    rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName="tls-only", Parameters=[force_ssl])
    login = {"MasterUsername": "admin", "MasterUserPassword": "not-a-secret-1"}
    rds.create_db_cluster(
        DBClusterIdentifier="orders", Engine="aurora-postgresql", DBClusterParameterGroupName="tls-only",
        StorageEncrypted=True, EnableIAMDatabaseAuthentication=True, DeletionProtection=True,
        BackupRetentionPeriod=14, EnableCloudwatchLogsExports=["postgresql"],
        Tags=[{"Key": "data_category", "Value": "personal"}], **login,
    )  # fmt: skip
    rds.create_db_cluster(DBClusterIdentifier="scratch", Engine="aurora-postgresql", **login)
    rds.create_db_instance(
        DBInstanceIdentifier="orders-1", DBInstanceClass="db.r6g.large", Engine="aurora-postgresql",
        DBClusterIdentifier="orders",
    )  # fmt: skip
    rds.create_db_instance(
        DBInstanceIdentifier="legacy", DBInstanceClass="db.t3.micro", Engine="postgres", AllocatedStorage=20,
        PubliclyAccessible=True, **login,
    )  # fmt: skip


def test_rds_clusters_carry_their_parameter_group_values(account: Account) -> None:
    _seed_rds(account)

    run = account.collect()

    orders = run.named("aws.rds.cluster", "orders")
    assert orders.id == f"arn:aws:rds:us-east-1:{account.account_id}:cluster:orders"
    attrs = orders.attributes
    assert attrs["parameters"] == {"rds.force_ssl": "1"} and attrs["parameter_group_name"] == "tls-only"
    assert attrs["storage_encrypted"] and attrs["iam_database_authentication_enabled"]
    assert attrs["deletion_protection"] and attrs["backup_retention_period"] == 14
    assert attrs["enabled_cloudwatch_logs_exports"] == ["postgresql"]
    assert attrs["tags"] == {"data_category": "personal"}
    scratch = run.named("aws.rds.cluster", "scratch").attributes
    assert scratch["parameters"] == {} and scratch["storage_encrypted"] is False
    member = run.named("aws.rds.instance", "orders-1").attributes
    assert member["cluster_identifier"] == "orders" and member["storage_encrypted"] is None
    legacy = run.named("aws.rds.instance", "legacy").attributes
    assert legacy["publicly_accessible"] is True and legacy["storage_encrypted"] is False


def test_elasticache_replication_groups(account: Account) -> None:
    cache = account.client("elasticache")
    cache.create_replication_group(
        ReplicationGroupId="sessions",
        ReplicationGroupDescription="sessions",
        Engine="redis",
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        AuthToken="a-token-of-16-chars-or-more",
    )
    cache.create_replication_group(ReplicationGroupId="cache-open", ReplicationGroupDescription="open")

    run = account.collect()

    sessions = run.named("aws.elasticache.replication_group", "sessions")
    assert sessions.id.endswith(":replicationgroup:sessions")
    assert sessions.attributes["at_rest_encryption_enabled"] is True
    assert sessions.attributes["transit_encryption_enabled"] is True
    assert sessions.attributes["auth_token_enabled"] is True
    open_group = run.named("aws.elasticache.replication_group", "cache-open").attributes
    assert not open_group["at_rest_encryption_enabled"] and not open_group["auth_token_enabled"]


def test_backup_vaults_with_and_without_lock(account: Account) -> None:
    backup = account.client("backup")
    backup.create_backup_vault(BackupVaultName="locked", BackupVaultTags={"purpose": "evidence"})
    backup.put_backup_vault_lock_configuration(
        BackupVaultName="locked", MinRetentionDays=365, ChangeableForDays=3
    )
    backup.create_backup_vault(BackupVaultName="plain")

    run = account.collect()

    assert run.named("aws.backup.vault", "locked").attributes == {
        "name": "locked",
        "locked": True,
        "lock_mode": "compliance",
        "min_retention_days": 365,
        "kms_key_arn": None,
        "tags": {"purpose": "evidence"},
    }
    plain = run.named("aws.backup.vault", "plain").attributes
    assert plain["locked"] is False and plain["lock_mode"] is None


def _rotation_lambda(account: Account) -> str:
    role = account.client("iam").create_role(RoleName="rotator", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("rotate.py", "def handler(event, context):\n    return None\n")
    function = account.client("lambda").create_function(
        FunctionName="rotate",
        Runtime="python3.12",
        Role=role,
        Handler="rotate.handler",
        Code={"ZipFile": code.getvalue()},
    )
    return str(function["FunctionArn"])


def test_secrets_rotation_metadata_only(account: Account) -> None:
    secrets_manager = account.client("secretsmanager")
    secrets_manager.create_secret(Name="db-password", SecretString="never-collected")
    secrets_manager.rotate_secret(
        SecretId="db-password",
        RotationLambdaARN=_rotation_lambda(account),
        RotationRules={"AutomaticallyAfterDays": 30},
    )
    secrets_manager.create_secret(
        Name="api-key", SecretString="never-collected", Tags=[{"Key": "k", "Value": "v"}]
    )

    run = account.collect()

    rotated = run.named("aws.secretsmanager.secret", "db-password")
    assert rotated.attributes["rotation_enabled"] is True and rotated.attributes["rotation_days"] == 30
    static = run.named("aws.secretsmanager.secret", "api-key").attributes
    assert static == {
        "name": "api-key",
        "kms_key_id": None,
        "rotation_enabled": False,
        "rotation_days": None,
        "rotation_schedule": None,
        "tags": {"k": "v"},
    }
    assert "never-collected" not in json.dumps([s.model_dump(mode="json") for s in run.snapshots])
