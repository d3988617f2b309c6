"""The IAM actions a collection needs, derived from the API calls each step declares."""

from __future__ import annotations

from collections.abc import Iterable

# boto3 service names whose IAM action prefix differs.
_PREFIXES = {"elbv2": "elasticloadbalancing", "s3control": "s3"}

# API operations authorised by an IAM action of another name.
_RENAMED = {
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
}


def iam_action(call: str) -> str:
    """The IAM action authorising an API call given as "<boto3 service>:<Operation>".

    For example s3:GetBucketEncryption needs s3:GetEncryptionConfiguration, and elbv2:DescribeTags needs
    elasticloadbalancing:DescribeTags.
    """
    if call in _RENAMED:
        return _RENAMED[call]
    service, _, operation = call.partition(":")
    return f"{_PREFIXES.get(service, service)}:{operation}"


def required_actions(calls: Iterable[str]) -> list[str]:
    return sorted({iam_action(call) for call in calls})
