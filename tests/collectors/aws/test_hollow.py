"""Hollow answers through a fault proxy in front of moto: HTTP 200 with an empty or a truncated body, on
the first and on a later page (or, where moto never pages, a later request of the same operation), in each
protocol the collector speaks. Each is an error for its step, never "no resources": the run is partial,
the Failure names the operation and what was wrong, and the policies on the types it feeds say `error`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from assay.standins.fault_proxy import FaultProxy, Hollowness, Match, ProxiedRequest
from collectors.aws import iam
from tests.collectors.aws.conftest import Account, Collected, unique
from tests.collectors.verdicts import errors, population_verdicts

ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def operation(name: str) -> Match:
    """An RPC-style call: query and EC2 name it in Action, JSON protocols in X-Amz-Target."""

    def match(request: ProxiedRequest) -> bool:
        target = request.header("X-Amz-Target")
        return target.endswith(f".{name}") or request.params().get("Action") == [name]

    return match


def s3(subresource: str | None) -> Match:
    """An S3 REST read: ListBuckets (GET /) or a bucket's ?subresource."""

    def match(request: ProxiedRequest) -> bool:
        if request.method != "GET" or "/s3/aws4_request" not in request.header("Authorization"):
            return False
        if subresource is None:
            return request.path == "/"
        return request.path.count("/") == 1 and subresource in request.params()

    return match


@dataclass(frozen=True)
class Case:
    match: Match
    operation: str  # as the Failure names it
    snapshot_type: str
    seed: Callable[[Account], None]
    later: int | None  # which matching request is the "later" one (None: the operation is called once)
    shapeless: bytes  # a well-formed answer without the result the operation documents
    regions: tuple[str, ...] = ("us-east-1",)


def _security_groups(account: Account) -> None:
    for region in ("us-east-1", "us-west-2"):
        ec2 = account.client("ec2", region)
        group = ec2.create_security_group(GroupName=unique("ssh"), Description="admin access")["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            ],
        )


def _roles(account: Account) -> None:
    iam = account.client("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    for n in range(101):  # moto answers ListRoles 100 a page
        iam.create_role(RoleName=f"app-{n:03}", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(
        RoleName="app-100",
        PolicyName="everything",
        PolicyDocument=json.dumps(ADMIN),
    )


def _log_groups(account: Account) -> None:
    logs = account.client("logs")
    for n in range(51):  # moto answers DescribeLogGroups 50 a page
        logs.create_log_group(logGroupName=f"/app/{n:02}")
    logs.put_retention_policy(logGroupName="/app/00", retentionInDays=7)


def _keys(account: Account) -> None:
    for region in ("us-east-1", "us-west-2"):
        account.client("kms", region).create_key(Description="never rotated")


def _trail(account: Account) -> None:
    bucket = unique("trail")
    account.client("s3").create_bucket(Bucket=bucket)
    trails = account.client("cloudtrail")
    trails.create_trail(
        Name="org", S3BucketName=bucket, IsMultiRegionTrail=True, EnableLogFileValidation=True
    )
    trails.start_logging(Name="org")


def _buckets(account: Account) -> None:
    s3 = account.client("s3")
    for _ in range(3):
        s3.create_bucket(Bucket=unique("data"))


EC2_NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"'
IAM_NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"'
S3_NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
CASES = {
    "ec2-query-xml": Case(
        operation("DescribeSecurityGroups"),
        "DescribeSecurityGroups",
        "aws.ec2.security_group",
        _security_groups,
        later=2,
        shapeless=f"<DescribeSecurityGroupsResponse {EC2_NS}><requestId>r</requestId>"
        "</DescribeSecurityGroupsResponse>".encode(),
        regions=("us-east-1", "us-west-2"),
    ),
    "iam-query-xml": Case(
        operation("ListRoles"),
        "ListRoles",
        "aws.iam.policy",
        _roles,
        later=2,
        shapeless=f"<ListRolesResponse {IAM_NS}><ListRolesResult><IsTruncated>false</IsTruncated>"
        "</ListRolesResult></ListRolesResponse>".encode(),
    ),
    "json-logs": Case(
        operation("DescribeLogGroups"),
        "DescribeLogGroups",
        "aws.logs.log_group",
        _log_groups,
        later=2,
        shapeless=b"{}",
    ),
    "json-kms": Case(
        operation("ListKeys"),
        "ListKeys",
        "aws.kms.key",
        _keys,
        later=2,
        shapeless=b'{"Truncated": false}',
        regions=("us-east-1", "us-west-2"),
    ),
    "json-cloudtrail": Case(
        operation("DescribeTrails"),
        "DescribeTrails",
        "aws.cloudtrail.trail",
        _trail,
        later=None,
        shapeless=b"{}",
    ),
    "s3-rest-xml-list": Case(
        s3(None),
        "ListBuckets",
        "aws.s3.bucket",
        _buckets,
        later=None,
        shapeless=f"<ListAllMyBucketsResult {S3_NS}><Owner><ID>o</ID></Owner>"
        "</ListAllMyBucketsResult>".encode(),
    ),
    "s3-rest-xml-read": Case(
        s3("encryption"),
        "GetBucketEncryption",
        "aws.s3.bucket",
        _buckets,
        later=2,
        shapeless=f"<BucketLoggingStatus {S3_NS}/>".encode(),  # the answer to another question
    ),
}
# The hollow answer, where it comes, and what the Failure says about it.
ANSWERS = [
    (name, page, body, said)
    for name, case in sorted(CASES.items())
    for page in ("first", "later")[: 1 + bool(case.later)]
    for body, said in (("empty", "an empty body"), ("truncated", "not "), ("shapeless", None))
    if body != "shapeless" or page == "first"
]


@pytest.fixture
def proxy(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    monkeypatch.setattr(iam, "REPORT_FIRST_PAUSE", 0.05)  # moto's credential report is ready at once
    with FaultProxy(moto_endpoint) as running:
        yield running


def _collect(account: Account, proxy: FaultProxy, regions: tuple[str, ...] = ("us-east-1",)) -> Collected:
    return account.collect(endpoint_url=proxy.url, regions=list(regions), max_attempts=2)


@pytest.mark.parametrize(("name", "page", "body", "said"), ANSWERS)
def test_a_hollow_answer_is_an_error_for_its_step(
    account: Account, proxy: FaultProxy, name: str, page: str, body: str, said: str | None
) -> None:
    case = CASES[name]
    case.seed(account)
    answer: Hollowness = (
        case.shapeless if body == "shapeless" else ("empty" if body == "empty" else "truncated")
    )
    rule = proxy.hollow(case.match, answer, nth=case.later if page == "later" and case.later else 1)

    run = _collect(account, proxy, case.regions)

    assert rule.fired == 2, "the answer and its retry (max_attempts 2) are hollow"
    assert run.report.status == "partial"
    (failure,) = [f for f in run.report.failures if f.operation == case.operation]
    assert case.snapshot_type in failure.snapshot_types
    assert failure.error.startswith(f"HollowResponse: {case.operation} answered ")
    assert said is None or said in failure.error, failure.error  # "not JSON", "not well-formed XML"
    verdicts = population_verdicts(run.snapshots, run.report, case.snapshot_type)
    assert verdicts and all(statuses == {"error"} for statuses in verdicts.values()), verdicts


def test_one_hollow_answer_is_retried_and_the_run_is_complete(account: Account, proxy: FaultProxy) -> None:
    _log_groups(account)
    rule = proxy.hollow(operation("DescribeLogGroups"), "empty", nth=2, repeat=False)

    run = _collect(account, proxy)

    assert rule.fired == 1
    assert run.report.status == "complete", run.report.failures
    assert run.report.retries == 1
    assert len(run.of("aws.logs.log_group")) == 51


def test_an_empty_account_through_the_proxy_is_complete(account: Account, proxy: FaultProxy) -> None:
    run = _collect(account, proxy, ("us-east-1", "us-west-2"))

    assert run.report.status == "complete", run.report.failures
    assert run.report.retries == 0
    assert errors(run.snapshots, run.report) == []
    assert proxy.served >= run.report.calls  # it all went through the proxy
