"""The same resources written in Terraform and created in moto: every policy gives the same verdict on the
Terraform snapshots and on the runtime snapshots of each matching resource."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.snapshot import ResourceSnapshot
from collectors.terraform import read_terraform
from policies import Evaluation, evaluate, load_policies
from tests.collectors.aws.conftest import Account, unique

NOW = datetime(2026, 11, 21, tzinfo=UTC)
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ROOT_ACTIVITY = {"detail": {"userIdentity": {"type": ["Root"]}}}

TERRAFORM = """
provider "aws" {{
  region = "us-east-1"
}}

resource "aws_kms_key" "data" {{
  description         = "{p} data key"
  enable_key_rotation = true
}}

resource "aws_kms_key" "stale" {{
  description = "{p} stale key"
}}

resource "aws_s3_bucket" "data" {{
  bucket = "{p}-data"
  tags = {{
    data_category = "internal"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {{
  bucket = aws_s3_bucket.data.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }}
  }}
}}

resource "aws_s3_bucket_public_access_block" "data" {{
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_s3_bucket_versioning" "data" {{
  bucket = aws_s3_bucket.data.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket" "open" {{
  bucket = "{p}-open"
}}

resource "aws_security_group" "ssh" {{
  name        = "{p}-ssh"
  description = "ssh from anywhere"
  ingress {{
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_security_group" "db" {{
  name        = "{p}-db"
  description = "postgres from the VPC"
  ingress {{
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}

resource "aws_cloudwatch_log_group" "short" {{
  name              = "/{p}/short"
  retention_in_days = 30
}}

resource "aws_cloudwatch_log_group" "long" {{
  name              = "/{p}/long"
  retention_in_days = 400
}}

resource "aws_iam_account_password_policy" "this" {{
  minimum_password_length = 8
  require_numbers         = true
}}

resource "aws_ebs_encryption_by_default" "this" {{
  enabled = true
}}

resource "aws_secretsmanager_secret" "static" {{
  name = "{p}-static"
}}

resource "aws_iam_policy" "admin" {{
  name   = "{p}-admin"
  policy = <<EOT
{admin}
EOT
}}

resource "aws_rds_cluster_parameter_group" "tls" {{
  name   = "{p}-tls"
  family = "aurora-postgresql15"
  parameter {{
    name  = "rds.force_ssl"
    value = "1"
  }}
}}

resource "aws_rds_cluster" "orders" {{
  cluster_identifier                  = "{p}-orders"
  engine                              = "aurora-postgresql"
  storage_encrypted                   = true
  kms_key_id                          = "{rds_key}"
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = 14
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.tls.name
}}

resource "aws_cloudwatch_event_rule" "root" {{
  name          = "{p}-root-activity"
  event_pattern = <<EOT
{root_activity}
EOT
}}

resource "aws_cloudwatch_event_target" "root" {{
  rule = aws_cloudwatch_event_rule.root.name
  arn  = "arn:aws:sns:us-east-1:111111111111:alerts"
}}
"""


def seed_storage(account: Account, prefix: str) -> None:
    kms = account.client("kms")
    data_key = kms.create_key(Description=f"{prefix} data key")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=data_key["KeyId"])
    kms.create_key(Description=f"{prefix} stale key")
    s3 = account.client("s3")
    bucket = f"{prefix}-data"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "data_category", "Value": "internal"}]})
    sse = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": data_key["Arn"]}
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": sse}]},
    )
    flags = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=dict.fromkeys(flags, True))
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket=f"{prefix}-open")
    account.client("secretsmanager").create_secret(Name=f"{prefix}-static", SecretString="x")


def seed_network_and_logs(account: Account, prefix: str) -> None:
    ec2 = account.client("ec2")
    for name, description, port, cidr in (
        ("ssh", "ssh from anywhere", 22, "0.0.0.0/0"),
        ("db", "postgres from the VPC", 5432, "10.0.0.0/8"),
    ):
        group = ec2.create_security_group(GroupName=f"{prefix}-{name}", Description=description)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group, IpProtocol="tcp", FromPort=port, ToPort=port, CidrIp=cidr
        )
    ec2.enable_ebs_encryption_by_default()
    logs = account.client("logs")
    for name, days in (("short", 30), ("long", 400)):
        logs.create_log_group(logGroupName=f"/{prefix}/{name}")
        logs.put_retention_policy(logGroupName=f"/{prefix}/{name}", retentionInDays=days)


def seed_identity_and_data(account: Account, prefix: str, rds_key: str) -> None:
    iam = account.client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8, RequireNumbers=True)
    admin = iam.create_policy(PolicyName=f"{prefix}-admin", PolicyDocument=json.dumps(ADMIN))["Policy"]["Arn"]
    iam.create_role(RoleName=f"{prefix}-ops", AssumeRolePolicyDocument="{}")
    iam.attach_role_policy(RoleName=f"{prefix}-ops", PolicyArn=admin)  # Terraform reads policies as attached
    rds = account.client("rds")
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName=f"{prefix}-tls",
        DBParameterGroupFamily="aurora-postgresql15",
        Description="tls",
    )
    force_ssl = {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
    rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName=f"{prefix}-tls", Parameters=[force_ssl])
    rds.create_db_cluster(
        DBClusterIdentifier=f"{prefix}-orders",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="not-a-secret-1",
        StorageEncrypted=True,
        KmsKeyId=rds_key,
        EnableIAMDatabaseAuthentication=True,
        DeletionProtection=True,
        BackupRetentionPeriod=14,
        EnableCloudwatchLogsExports=["postgresql"],
        DBClusterParameterGroupName=f"{prefix}-tls",
    )
    events = account.client("events")
    events.put_rule(Name=f"{prefix}-root-activity", EventPattern=json.dumps(ROOT_ACTIVITY))
    events.put_targets(
        Rule=f"{prefix}-root-activity",
        Targets=[{"Id": "1", "Arn": "arn:aws:sns:us-east-1:111111111111:alerts"}],
    )


def _match_key(snapshot: ResourceSnapshot) -> tuple[str, str | None]:
    """What identifies the same resource in both sources: its cloud name, a key's description, or its type."""
    return snapshot.type, snapshot.name or snapshot.attributes.get("description")


def _verdicts(
    snapshots: Iterable[ResourceSnapshot], source: str
) -> dict[tuple[str, tuple[str, str | None]], str]:
    by_id = {s.id: s for s in snapshots}
    evaluation = Evaluation(by_id.values(), controls_for=lambda _: (), now=NOW, sources=(source,))
    return {
        (j.policy_id, _match_key(by_id[j.resource_id])): j.status.value
        for j in evaluate(load_policies(), evaluation)
        if j.resource_id in by_id
    }


@dataclass
class BothSources:
    prefix: str
    terraform: list[ResourceSnapshot]
    runtime: list[ResourceSnapshot]


@pytest.fixture
def both(account: Account, tmp_path: Path) -> BothSources:
    prefix = unique("eq")
    rds_key = f"arn:aws:kms:us-east-1:{account.account_id}:key/rds"
    (tmp_path / "main.tf").write_text(
        TERRAFORM.format(
            p=prefix, admin=json.dumps(ADMIN), root_activity=json.dumps(ROOT_ACTIVITY), rds_key=rds_key
        )
    )
    terraform = read_terraform(tmp_path, NOW)
    assert [str(p) for p in terraform.problems] == []
    seed_storage(account, prefix)
    seed_network_and_logs(account, prefix)
    seed_identity_and_data(account, prefix, rds_key)
    run = account.collect()
    assert run.report.status == "complete", run.report.failures
    return BothSources(prefix, terraform.snapshots, run.snapshots)


def test_every_terraform_resource_has_its_runtime_twin(both: BothSources) -> None:
    runtime_keys = {_match_key(s) for s in both.runtime}
    assert len(both.terraform) == 14
    assert [_match_key(s) for s in both.terraform if _match_key(s) not in runtime_keys] == []


def test_policies_judge_both_sources_alike(both: BothSources) -> None:
    from_terraform, from_runtime = _verdicts(both.terraform, "iac"), _verdicts(both.runtime, "runtime")
    shared = from_terraform.keys() & from_runtime.keys()
    assert len(shared) >= 30
    differing = {
        k: (from_terraform[k], from_runtime[k]) for k in shared if from_terraform[k] != from_runtime[k]
    }
    assert differing == {}
    statuses = {(policy, key[1]): from_runtime[(policy, key)] for policy, key in shared}
    prefix = both.prefix
    assert statuses[("aws.s3.bucket_sse_kms", f"{prefix}-data")] == "pass"
    assert statuses[("aws.s3.bucket_public_access_block", f"{prefix}-data")] == "pass"
    assert statuses[("aws.s3.bucket_public_access_block", f"{prefix}-open")] == "fail"
    assert statuses[("aws.kms.key_rotation", f"{prefix} stale key")] == "fail"
    assert statuses[("aws.kms.key_rotation", f"{prefix} data key")] == "pass"
    assert statuses[("aws.ec2.sg_admin_ports_closed", f"{prefix}-ssh")] == "fail"
    assert statuses[("aws.ec2.sg_admin_ports_closed", f"{prefix}-db")] == "pass"
    assert statuses[("aws.rds.cluster_force_ssl", f"{prefix}-orders")] == "pass"
    assert statuses[("aws.iam.no_admin_policies", f"{prefix}-admin")] == "fail"
