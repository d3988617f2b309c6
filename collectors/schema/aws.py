"""AWS snapshot types. Attribute names are shared by the Terraform reader and the boto3 collectors."""

from __future__ import annotations

from typing import Any

from collectors.schema.base import BOTH, RUNTIME_ONLY, Attrs, type_table


class S3Encryption(Attrs):
    algorithm: str | None = "AES256"  # "aws:kms", "aws:kms:dsse" or "AES256" (S3's default since 2023)
    kms_key_id: str | None = None
    bucket_key_enabled: bool | None = None


class PublicAccessBlock(Attrs):
    block_public_acls: bool = False
    block_public_policy: bool = False
    ignore_public_acls: bool = False
    restrict_public_buckets: bool = False


class S3Logging(Attrs):
    target_bucket: str | None = None
    target_prefix: str | None = None


class S3ObjectLock(Attrs):
    enabled: bool = False
    mode: str | None = None  # GOVERNANCE | COMPLIANCE
    days: int | None = None
    years: int | None = None


class LifecycleRule(Attrs):
    id: str | None = None
    enabled: bool = True
    expiration_days: int | None = None
    noncurrent_expiration_days: int | None = None


class S3Bucket(Attrs):
    name: str
    tags: dict[str, str] = {}
    encryption: S3Encryption = S3Encryption()
    public_access_block: PublicAccessBlock | None = None
    versioning_enabled: bool = False
    mfa_delete: bool | None = None
    logging: S3Logging | None = None
    object_lock: S3ObjectLock | None = None
    lifecycle_rules: list[LifecycleRule] = []
    policy: dict[str, Any] | None = None  # the bucket policy document


class AccountPublicAccessBlock(PublicAccessBlock):
    account_id: str | None = None


class RdsCluster(Attrs):
    identifier: str
    engine: str | None = None
    engine_version: str | None = None
    storage_encrypted: bool = False
    kms_key_id: str | None = None
    backup_retention_period: int = 1
    deletion_protection: bool = False
    iam_database_authentication_enabled: bool = False
    enabled_cloudwatch_logs_exports: list[str] = []
    parameter_group_name: str | None = None
    parameters: dict[str, str] = {}  # the cluster parameter group's non-default values
    tags: dict[str, str] = {}


class RdsInstance(Attrs):
    identifier: str
    engine: str | None = None
    cluster_identifier: str | None = None
    publicly_accessible: bool = False
    storage_encrypted: bool | None = None  # None for Aurora members: the cluster decides
    auto_minor_version_upgrade: bool = True
    tags: dict[str, str] = {}


class KmsKey(Attrs):
    description: str | None = None
    key_usage: str = "ENCRYPT_DECRYPT"
    key_spec: str = "SYMMETRIC_DEFAULT"
    key_manager: str = "CUSTOMER"
    enabled: bool = True
    rotation_enabled: bool = False
    rotation_period_days: int | None = None
    deletion_window_days: int | None = None
    multi_region: bool = False
    tags: dict[str, str] = {}


class ElastiCacheReplicationGroup(Attrs):
    replication_group_id: str
    engine: str = "redis"
    at_rest_encryption_enabled: bool = False
    transit_encryption_enabled: bool = False
    auth_token_enabled: bool = False  # AUTH token or RBAC user groups; never the token itself
    kms_key_id: str | None = None
    automatic_failover_enabled: bool = False
    multi_az_enabled: bool = False
    snapshot_retention_limit: int = 0
    tags: dict[str, str] = {}


class EksCluster(Attrs):
    name: str
    version: str | None = None
    endpoint_public_access: bool = True
    endpoint_private_access: bool = False
    public_access_cidrs: list[str] = ["0.0.0.0/0"]
    secrets_encryption_key: str | None = None  # KMS key ARN when encryption_config covers "secrets"
    enabled_log_types: list[str] = []
    tags: dict[str, str] = {}


class EbsEncryptionByDefault(Attrs):
    enabled: bool = False


class SecurityGroupRule(Attrs):
    protocol: str = "-1"  # "-1" means all; otherwise "tcp", "udp", "icmp" or a number
    from_port: int | None = None
    to_port: int | None = None
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None
    source_security_group: str | None = None
    prefix_list: str | None = None
    description: str | None = None


class SecurityGroup(Attrs):
    name: str | None = None
    description: str | None = None
    vpc_id: str | None = None
    ingress: list[SecurityGroupRule] = []
    tags: dict[str, str] = {}


class FlowLog(Attrs):
    traffic_type: str | None = None  # ACCEPT | REJECT | ALL
    destination_type: str | None = None
    destination: str | None = None


class Vpc(Attrs):
    cidr_block: str | None = None
    is_default: bool = False
    flow_logs: list[FlowLog] = []
    tags: dict[str, str] = {}


class DataEventSelector(Attrs):
    resource_type: str  # e.g. AWS::S3::Object
    values: list[str] = []  # ARN prefixes; "arn:aws:s3" alone means every bucket
    read_write_type: str = "All"


class CloudTrail(Attrs):
    name: str
    home_region: str | None = None
    is_multi_region_trail: bool = False
    include_global_service_events: bool = True
    is_logging: bool = True
    log_file_validation_enabled: bool = False
    kms_key_id: str | None = None
    s3_bucket_name: str | None = None
    cloud_watch_logs_log_group_arn: str | None = None
    management_events: bool = True
    management_read_write_type: str = "All"
    data_events: list[DataEventSelector] = []
    tags: dict[str, str] = {}


class PasswordPolicy(Attrs):
    minimum_password_length: int = 8
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    max_password_age: int | None = None
    password_reuse_prevention: int | None = None
    hard_expiry: bool = False


class AccountSummary(Attrs):
    account_mfa_enabled: bool
    account_access_keys_present: bool


class AccessKey(Attrs):
    active: bool
    last_rotated: str | None = None  # ISO-8601
    last_used: str | None = None


class IamUser(Attrs):
    """Identifiers of people are pseudonymised by the collector: the snapshot carries no user name."""

    password_enabled: bool = False
    password_last_used: str | None = None
    mfa_active: bool = False
    access_keys: list[AccessKey] = []
    created: str | None = None


class IamPolicy(Attrs):
    name: str | None = None
    kind: str = "managed"  # managed | inline
    aws_managed: bool = False
    attached: bool = True
    document: dict[str, Any] | None = None


class GuardDutyDetector(Attrs):
    enabled: bool = False
    features: dict[str, bool] = {}  # e.g. {"EKS_AUDIT_LOGS": true, "S3_DATA_EVENTS": true}


class ConfigRecorder(Attrs):
    name: str | None = None
    all_supported: bool = False
    include_global_resource_types: bool = False
    recording: bool = False


class LogGroup(Attrs):
    name: str
    retention_in_days: int | None = None  # None: never expires
    kms_key_id: str | None = None
    tags: dict[str, str] = {}


class Secret(Attrs):
    name: str
    kms_key_id: str | None = None
    rotation_enabled: bool = False
    # AutomaticallyAfterDays and ScheduleExpression (rate(...) or cron(...)) as written; from Terraform, a
    # value it cannot know statically stays its "${...}" text, so a policy can say what it depends on.
    rotation_days: int | str | None = None
    rotation_schedule: str | None = None
    tags: dict[str, str] = {}


class Listener(Attrs):
    port: int | None = None
    protocol: str | None = None  # HTTP | HTTPS | TCP | TLS ...
    ssl_policy: str | None = None
    redirects_to_https: bool = False


class LoadBalancer(Attrs):
    name: str | None = None
    scheme: str = "internet-facing"
    type: str = "application"
    waf_web_acl: str | None = None
    drop_invalid_header_fields: bool = False
    access_logs_enabled: bool = False
    listeners: list[Listener] = []
    tags: dict[str, str] = {}


class BackupVault(Attrs):
    name: str
    locked: bool = False
    lock_mode: str | None = None  # compliance | governance (no changeable_for_days in TF means governance)
    min_retention_days: int | None = None
    kms_key_arn: str | None = None
    tags: dict[str, str] = {}


class EventRule(Attrs):
    name: str | None = None
    enabled: bool = True
    event_pattern: dict[str, Any] | None = None
    target_count: int = 0


TYPES = type_table(
    "aws",
    [
        ("aws.s3.bucket", S3Bucket, BOTH, "S3 bucket with its encryption, access block, versioning, lock"),
        ("aws.s3.account_public_access_block", AccountPublicAccessBlock, BOTH, "account-wide S3 BPA"),
        ("aws.rds.cluster", RdsCluster, BOTH, "Aurora / RDS cluster with its parameter group values"),
        ("aws.rds.instance", RdsInstance, BOTH, "RDS instance or Aurora cluster member"),
        ("aws.kms.key", KmsKey, BOTH, "KMS key"),
        ("aws.elasticache.replication_group", ElastiCacheReplicationGroup, BOTH, "ElastiCache Redis"),
        ("aws.eks.cluster", EksCluster, BOTH, "EKS control plane"),
        (
            "aws.ec2.ebs_encryption_by_default",
            EbsEncryptionByDefault,
            BOTH,
            "EBS default encryption, per region",
        ),
        ("aws.ec2.security_group", SecurityGroup, BOTH, "security group with its ingress rules flattened"),
        ("aws.ec2.vpc", Vpc, BOTH, "VPC with its flow logs"),
        ("aws.cloudtrail.trail", CloudTrail, BOTH, "CloudTrail trail with status and event selectors"),
        ("aws.iam.password_policy", PasswordPolicy, BOTH, "account password policy"),
        ("aws.iam.account_summary", AccountSummary, RUNTIME_ONLY, "root account MFA and keys"),
        ("aws.iam.user", IamUser, RUNTIME_ONLY, "IAM user credentials (credential report)"),
        ("aws.iam.policy", IamPolicy, BOTH, "managed or inline IAM policy document"),
        ("aws.guardduty.detector", GuardDutyDetector, BOTH, "GuardDuty detector, per region"),
        ("aws.config.recorder", ConfigRecorder, BOTH, "AWS Config recorder, per region"),
        ("aws.logs.log_group", LogGroup, BOTH, "CloudWatch Logs log group"),
        ("aws.secretsmanager.secret", Secret, BOTH, "Secrets Manager secret (metadata only)"),
        ("aws.lb.load_balancer", LoadBalancer, BOTH, "ALB/NLB with listeners and WAF association"),
        ("aws.backup.vault", BackupVault, BOTH, "AWS Backup vault and its vault lock"),
        ("aws.events.rule", EventRule, BOTH, "EventBridge rule"),
    ],
)
