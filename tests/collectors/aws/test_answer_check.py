"""What makes an answer hollow, judged against botocore's service models without a server: the body of
each protocol with its result present (empty lists included), absent, or not a document at all."""

from __future__ import annotations

import boto3
import pytest

from collectors.aws.hollow import AnswerCheck

KEYS = {"aws_access_key_id": "k", "aws_secret_access_key": "s", "region_name": "us-east-1"}
IAM_NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"'
EC2_NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"'
S3_NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'

CASES = [
    # (service, operation, body, the fault's words or None for a sound answer)
    (
        "iam",
        "ListRoles",
        f"<ListRolesResponse {IAM_NS}><ListRolesResult><Roles/>"
        "<IsTruncated>false</IsTruncated></ListRolesResult></ListRolesResponse>",
        None,
    ),
    (
        "iam",
        "ListRoles",
        f"<ListRolesResponse {IAM_NS}><ListRolesResult><IsTruncated>false</IsTruncated>"
        "</ListRolesResult></ListRolesResponse>",
        "no Roles in the answer",
    ),
    ("iam", "ListRoles", f"<ListRolesResponse {IAM_NS}/>", "no <ListRolesResult> element"),
    ("iam", "ListRoles", "<Error/>", "a <Error> document, not <ListRolesResponse>"),
    (
        "iam",
        "GetAccountSummary",
        f"<GetAccountSummaryResponse {IAM_NS}><GetAccountSummaryResult>"
        "<SummaryMap/></GetAccountSummaryResult></GetAccountSummaryResponse>",
        None,
    ),
    (
        "ec2",
        "DescribeSecurityGroups",
        f"<DescribeSecurityGroupsResponse {EC2_NS}><securityGroupInfo/></DescribeSecurityGroupsResponse>",
        None,
    ),
    (
        "ec2",
        "DescribeSecurityGroups",
        f"<DescribeSecurityGroupsResponse {EC2_NS}><requestId>r</requestId></DescribeSecurityGroupsResponse>",
        "no securityGroupInfo",
    ),
    ("ec2", "DescribeRegions", f"<DescribeRegionsResponse {EC2_NS}/>", "no regionInfo"),
    (
        "s3",
        "ListBuckets",
        f"<ListAllMyBucketsResult {S3_NS}><Buckets/><Owner><ID>o</ID></Owner></ListAllMyBucketsResult>",
        None,
    ),
    (
        "s3",
        "ListBuckets",
        f"<ListAllMyBucketsResult {S3_NS}><Owner><ID>o</ID></Owner></ListAllMyBucketsResult>",
        "no Buckets",
    ),
    ("s3", "GetBucketLogging", f"<BucketLoggingStatus {S3_NS}/>", None),  # logging off: nothing inside
    ("s3", "GetBucketLifecycleConfiguration", "<LifecycleConfiguration/>", None),  # flattened Rule list
    ("s3", "GetBucketEncryption", "", "an empty body"),
    (
        "s3",
        "GetBucketEncryption",
        f"<BucketLoggingStatus {S3_NS}/>",
        "not <ServerSideEncryptionConfiguration>",
    ),
    ("s3control", "GetPublicAccessBlock", "<PublicAccessBlockConfiguration/>", None),
    ("s3", "GetBucketEncryption", "<ServerSideEncryptionConfiguration><Rule>", "not well-formed XML"),
    ("s3", "GetBucketPolicy", '{"Version": "2012-10-17", "Statement": []}', None),  # an opaque document
    ("kms", "ListKeys", '{"Keys": [], "Truncated": false}', None),
    ("kms", "ListKeys", "{}", "no Keys"),
    ("kms", "ListKeys", '{"Keys": [{"KeyId": "k', "not JSON"),
    ("kms", "ListKeys", "[]", "a JSON list, not the object ListKeys documents"),
    ("logs", "DescribeLogGroups", '{"logGroups": []}', None),
    ("cloudtrail", "DescribeTrails", "{}", "no trailList"),  # not paginated: its one list is the result
    ("cloudtrail", "GetEventSelectors", '{"TrailARN": "t", "AdvancedEventSelectors": []}', None),
    ("wafv2", "GetWebACLForResource", "{}", None),  # no web ACL associated
    ("kms", "DescribeKey", "{}", "no KeyMetadata"),  # Describe of one thing: the thing
    ("eks", "DescribeCluster", '{"cluster": {"name": "c"}}', None),
    ("logs", "ListTagsForResource", "{}", None),  # its one member is a map, not a result list
    ("guardduty", "ListDetectors", '{"detectorIds": []}', None),  # the wire name, not the member name
    ("guardduty", "ListDetectors", '{"DetectorIds": []}', "no detectorIds"),
]


@pytest.mark.parametrize(("service", "operation", "body", "fault"), CASES)
def test_an_answer_is_hollow_only_when_its_result_is_not_there(
    service: str, operation: str, body: str, fault: str | None
) -> None:
    client = boto3.client(service, **KEYS)
    model = client.meta.service_model.operation_model(operation)

    found = AnswerCheck(client).fault(model, body.encode())

    assert (found is None) if fault is None else (found is not None and fault in found), found


def test_an_answer_with_nothing_in_its_body_needs_no_body() -> None:
    client = boto3.client("s3", **KEYS)
    assert AnswerCheck(client).fault(client.meta.service_model.operation_model("HeadBucket"), b"") is None
