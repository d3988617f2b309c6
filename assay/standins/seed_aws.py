"""Seed a moto server with the example platform's AWS side: mostly compliant, with the same kinds of
violations the example Terraform plants (SSH open to the internet, SSE-S3 instead of KMS, a key that does
not rotate, 30-day log retention, an admin IAM policy, a personal-data bucket with no transfer basis)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

REGION = "us-east-1"
PREFIX = "tradeplat-prod"
Client = Callable[[str], Any]


def _bucket(
    s3: Any,
    name: str,
    *,
    kms_key: str | None,
    tags: dict[str, str],
    lock_days: int | None = None,
    lifecycle_days: int | None = None,
) -> None:
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=lock_days is not None)
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]})
    rule: dict[str, Any] = (
        {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key} if kms_key else {"SSEAlgorithm": "AES256"}
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": rule, "BucketKeyEnabled": bool(kms_key)}]
        },
    )
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_logging(
        Bucket=name,
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": f"{PREFIX}-access-logs", "TargetPrefix": f"{name}/"}
        },
    )
    deny_http = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(deny_http))
    if lock_days:
        s3.put_object_lock_configuration(
            Bucket=name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": lock_days}},
            },
        )
    if lifecycle_days:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name,
            LifecycleConfiguration={
                "Rules": [
                    {
                        "ID": "expire-personal-data",
                        "Status": "Enabled",
                        "Filter": {"Prefix": ""},
                        "Expiration": {"Days": lifecycle_days},
                        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                    }
                ]
            },
        )


def _storage(client: Client, key: str) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket=f"{PREFIX}-access-logs")
    delivery = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ServerAccessLogs",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{PREFIX}-access-logs/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=f"{PREFIX}-access-logs", Policy=json.dumps(delivery))
    personal = {"data_category": "personal", "ropa_id": "ROPA-003", "transfer_mechanism": "SCC-2021"}
    _bucket(s3, f"{PREFIX}-trade-data", kms_key=key, tags={"data_category": "internal"})
    _bucket(s3, f"{PREFIX}-customer-documents", kms_key=key, tags=personal, lifecycle_days=2555)
    _bucket(
        s3,
        f"{PREFIX}-client-statements",
        kms_key=key,
        lifecycle_days=2555,
        tags={"data_category": "personal", "ropa_id": "ROPA-004"},
    )  # violation: no transfer_mechanism
    _bucket(s3, f"{PREFIX}-audit-logs", kms_key=key, tags={"data_category": "logs"}, lock_days=400)
    _bucket(
        s3,
        f"{PREFIX}-evidence",
        kms_key=key,
        tags={"data_category": "evidence", "purpose": "evidence"},
        lock_days=2555,
    )
    _bucket(s3, f"{PREFIX}-reporting-exports", kms_key=None, tags={"data_category": "internal"})  # SSE-S3
    control = client("s3control")
    control.meta.events.register("before-send.s3-control", no_account_host)
    control.put_public_access_block(
        AccountId="123456789012",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )


def no_account_host(request: Any, **_: Any) -> None:
    """S3 Control puts the account id in the host name, which a stand-in on 127.0.0.1 cannot resolve."""
    request.url = re.sub(r"//\d{12}\.", "//", request.url)


def _keys(client: Client) -> str:
    kms = client("kms")
    data = kms.create_key(Description="tradeplat data")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=data)
    kms.create_key(Description="tradeplat analytics")  # violation: rotation never enabled
    return str(data)


def _network(client: Client) -> None:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{PREFIX}-audit-logs/flow",
    )
    bastion = ec2.create_security_group(GroupName="bastion", Description="vendor access", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=bastion,
        IpPermissions=[
            {  # violation: SSH from anywhere
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    db = ec2.create_security_group(GroupName="aurora", Description="aurora from the VPC", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=db,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
        ],
    )
    ec2.enable_ebs_encryption_by_default()


def _audit(client: Client, key: str) -> None:
    trail = client("cloudtrail")
    trail.create_trail(
        Name=f"{PREFIX}-trail",
        S3BucketName=f"{PREFIX}-audit-logs",
        IsMultiRegionTrail=True,
        IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True,
        KmsKeyId=key,
    )
    trail.start_logging(Name=f"{PREFIX}-trail")
    logs = client("logs")
    for name, days in ((f"/{PREFIX}/app", 400), (f"/{PREFIX}/reporting", 30)):  # 30 days: a violation
        logs.create_log_group(logGroupName=name)
        logs.put_retention_policy(logGroupName=name, retentionInDays=days)
    client("guardduty").create_detector(
        Enable=True, DataSources={"S3Logs": {"Enable": True}, "Kubernetes": {"AuditLogs": {"Enable": True}}}
    )
    config = client("config")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": "arn:aws:iam::123456789012:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": f"{PREFIX}-audit-logs"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")


def _identity(client: Client) -> None:
    iam = client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireNumbers=True,
        RequireSymbols=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        PasswordReusePrevention=24,
        MaxPasswordAge=90,
    )
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.create_policy(PolicyName=f"{PREFIX}-data-migration", PolicyDocument=json.dumps(admin))  # violation
    read_logs = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:GetLogEvents"],
                "Resource": "arn:aws:logs:*:*:log-group:/tradeplat-prod/*",
            }
        ],
    }
    iam.create_policy(PolicyName=f"{PREFIX}-read-logs", PolicyDocument=json.dumps(read_logs))


def seed(client: Client) -> None:
    """`client(service)` returns a boto3 client for the moto server."""
    key = _keys(client)
    _storage(client, key)
    _network(client)
    _audit(client, key)
    _identity(client)
