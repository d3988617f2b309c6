"""AWS runtime collector: `collect_aws(target, sink, report, *, session_factory=None)`.

Reads one account through boto3 (standard retry mode, `target.max_attempts`; every page through the
operation's paginator), on a thread pool over (service, region) work items with a rate budget of
`target.calls_per_second` per service and region. Snapshots carry the attribute names of the Terraform
mappers, so the same policies judge both. Whatever cannot be read is a Failure in the report.

Regions: `target.regions`, or every region enabled for the account (ec2:DescribeRegions). Global services
(IAM, the S3 bucket listing, the account-wide S3 public access block) are read once per account.

API calls, by service and snapshot type:

    sts (start of run): AssumeRole (with target.role_arn), GetCallerIdentity
    ec2 (start of run): DescribeRegions (AllRegions=False)
    iam  aws.iam.account_summary: GetAccountSummary
         aws.iam.password_policy: GetAccountPasswordPolicy
         aws.iam.user: GenerateCredentialReport, GetCredentialReport, ListUsers; for users newer than
             the report: GetLoginProfile, ListMFADevices, ListAccessKeys, GetAccessKeyLastUsed
         aws.iam.policy: ListPolicies (Scope=Local), GetPolicyVersion; inline policies: ListRoles,
             ListRolePolicies, GetRolePolicy, ListGroups, ListGroupPolicies, GetGroupPolicy,
             ListUserPolicies, GetUserPolicy
    s3   aws.s3.bucket: ListBuckets, GetBucketLocation, GetBucketEncryption, GetPublicAccessBlock,
             GetBucketVersioning, GetBucketLogging, GetObjectLockConfiguration,
             GetBucketLifecycleConfiguration, GetBucketPolicy, GetBucketTagging
    s3control  aws.s3.account_public_access_block: GetPublicAccessBlock
    ec2  aws.ec2.security_group: DescribeSecurityGroups
         aws.ec2.vpc: DescribeVpcs, DescribeFlowLogs
         aws.ec2.ebs_encryption_by_default: GetEbsEncryptionByDefault
    rds  aws.rds.cluster: DescribeDBClusters, DescribeDBClusterParameters (Source=user)
         aws.rds.instance: DescribeDBInstances
    kms  aws.kms.key: ListKeys, DescribeKey, GetKeyRotationStatus, ListResourceTags
    elasticache  aws.elasticache.replication_group: DescribeReplicationGroups, ListTagsForResource
    eks  aws.eks.cluster: ListClusters, DescribeCluster
    cloudtrail  aws.cloudtrail.trail: DescribeTrails, GetTrailStatus, GetEventSelectors, ListTags
    guardduty  aws.guardduty.detector: ListDetectors, GetDetector
    config  aws.config.recorder: DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus
    logs  aws.logs.log_group: DescribeLogGroups, ListTagsForResource
    secretsmanager  aws.secretsmanager.secret: ListSecrets (metadata only, never a secret value)
    elbv2  aws.lb.load_balancer: DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeListeners,
             DescribeTags; and wafv2 GetWebACLForResource for application load balancers
    backup  aws.backup.vault: ListBackupVaults, ListTags
    events  aws.events.rule: ListEventBuses, ListRules, ListTargetsByRule

IAM permissions (all read-only; iam:GenerateCredentialReport only asks IAM to refresh its report):

    backup:ListBackupVaults, backup:ListTags,
    cloudtrail:DescribeTrails, cloudtrail:GetEventSelectors, cloudtrail:GetTrailStatus, cloudtrail:ListTags,
    config:DescribeConfigurationRecorderStatus, config:DescribeConfigurationRecorders,
    ec2:DescribeFlowLogs, ec2:DescribeRegions, ec2:DescribeSecurityGroups, ec2:DescribeVpcs,
    ec2:GetEbsEncryptionByDefault,
    eks:DescribeCluster, eks:ListClusters,
    elasticache:DescribeReplicationGroups, elasticache:ListTagsForResource,
    elasticloadbalancing:DescribeListeners, elasticloadbalancing:DescribeLoadBalancerAttributes,
    elasticloadbalancing:DescribeLoadBalancers, elasticloadbalancing:DescribeTags,
    events:ListEventBuses, events:ListRules, events:ListTargetsByRule,
    guardduty:GetDetector, guardduty:ListDetectors,
    iam:GenerateCredentialReport, iam:GetAccessKeyLastUsed, iam:GetAccountPasswordPolicy,
    iam:GetAccountSummary, iam:GetCredentialReport, iam:GetGroupPolicy, iam:GetLoginProfile,
    iam:GetPolicyVersion, iam:GetRolePolicy, iam:GetUserPolicy, iam:ListAccessKeys, iam:ListGroupPolicies,
    iam:ListGroups, iam:ListMFADevices, iam:ListPolicies, iam:ListRolePolicies, iam:ListRoles,
    iam:ListUserPolicies, iam:ListUsers,
    kms:DescribeKey, kms:GetKeyRotationStatus, kms:ListKeys, kms:ListResourceTags,
    logs:DescribeLogGroups, logs:ListTagsForResource,
    rds:DescribeDBClusterParameters, rds:DescribeDBClusters, rds:DescribeDBInstances,
    s3:GetAccountPublicAccessBlock, s3:GetBucketLocation, s3:GetBucketLogging,
    s3:GetBucketObjectLockConfiguration, s3:GetBucketPolicy, s3:GetBucketPublicAccessBlock,
    s3:GetBucketTagging, s3:GetBucketVersioning, s3:GetEncryptionConfiguration,
    s3:GetLifecycleConfiguration, s3:ListAllMyBuckets,
    secretsmanager:ListSecrets,
    sts:GetCallerIdentity,
    wafv2:GetWebACLForResource

With `target.role_arn`, the calling identity also needs sts:AssumeRole on that role (and the role's trust
policy must name it, with the ExternalId condition when `target.external_id` is set). A key policy or
bucket policy can still refuse a single resource: that resource is then a Failure, the rest is read.
"""

from collectors.aws.runner import BOOTSTRAP, STEPS, collect_aws
from collectors.aws.session import SessionFactory

__all__ = ["BOOTSTRAP", "STEPS", "SessionFactory", "collect_aws"]
