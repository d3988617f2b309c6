"""Faults: refused services and resources, throttling storms, rejected credentials, unreachable endpoints.

Whatever is not read is a Failure naming the service, API operation and region, with the snapshot types
left incomplete; everything else is still collected.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest

from assay.standins.process import free_port
from collectors.aws import collect_aws, iam
from collectors.runtime import AwsTarget, CollectionReport, Failure
from collectors.snapshot import ResourceSnapshot
from tests.collectors.aws.conftest import Account, unique
from tests.collectors.aws.inject import Storm, answer_with, json_error, refuse, xml_error


def _only(failures: list[Failure], service: str) -> Failure:
    found = [f for f in failures if f.service == service]
    assert len(found) == 1, failures
    return found[0]


def test_access_denied_on_one_service_leaves_the_rest_collected(account: Account) -> None:
    account.client("kms").create_key(Description="unreadable")
    bucket = unique("readable")
    account.client("s3").create_bucket(Bucket=bucket)

    run = account.collect(hook=refuse("before-call.kms.ListKeys", "AccessDeniedException", "not for you"))

    assert run.report.status == "partial"
    failure = _only(run.report.failures, "kms")
    assert (failure.operation, failure.region, failure.snapshot_types) == (
        "ListKeys",
        "us-east-1",
        ("aws.kms.key",),
    )
    assert failure.error == "AccessDeniedException: not for you"
    assert run.report.incomplete_types() == {"aws.kms.key": [str(failure)]}
    assert run.of("aws.kms.key") == []
    assert run.named("aws.s3.bucket", bucket).attributes["name"] == bucket
    assert len(run.of("aws.ec2.ebs_encryption_by_default")) == 1


def test_a_refused_resource_is_a_failure_of_its_own(account: Account) -> None:
    s3 = account.client("s3")
    names = [unique("bucket") for _ in range(3)]
    for name in names:
        s3.create_bucket(Bucket=name)
    refused = names[1]
    hook = refuse(
        "before-call.s3.GetBucketPolicy",
        "AccessDenied",
        "bucket policy denies the collector",
        when=lambda request: f"/{refused}" in str(request.get("url")),
    )

    run = account.collect(hook=hook)

    assert run.report.status == "partial"
    failure = _only(run.report.failures, "s3")
    assert (failure.operation, failure.region, failure.snapshot_types) == (
        "GetBucketPolicy",
        "us-east-1",
        ("aws.s3.bucket",),
    )
    assert (
        failure.error == f"AccessDenied: bucket policy denies the collector (resource arn:aws:s3:::{refused})"
    )
    assert sorted(str(s.name) for s in run.of("aws.s3.bucket")) == sorted(n for n in names if n != refused)


THROTTLES = {
    "json": (
        "before-send.cloudwatch-logs.DescribeLogGroups",
        400,
        json_error("ThrottlingException", "Rate exceeded"),
        "application/x-amz-json-1.1",
    ),
    "s3-slowdown": (
        "before-send.s3.GetBucketVersioning",
        503,
        xml_error("SlowDown", "Please reduce your request rate."),
        "application/xml",
    ),
}


def _seed_for_storm(account: Account) -> str:
    account.client("logs").create_log_group(logGroupName="/storm/app")
    bucket = unique("storm")
    account.client("s3").create_bucket(Bucket=bucket)
    return bucket


@pytest.mark.parametrize("kind", sorted(THROTTLES))
def test_a_throttling_storm_within_the_retry_budget_is_retried_and_counted(
    account: Account, kind: str
) -> None:
    bucket = _seed_for_storm(account)
    storm = Storm(*_storm_args(kind, failures=2))

    run = account.collect(hook=storm.hook, max_attempts=3)

    assert run.report.status == "complete", run.report.failures
    assert storm.injected == 2 and storm.passed == 1
    assert run.report.retries == 2
    assert run.named("aws.logs.log_group", "/storm/app").attributes["name"] == "/storm/app"
    assert run.named("aws.s3.bucket", bucket).attributes["versioning_enabled"] is False


def _storm_args(kind: str, failures: int) -> tuple[str, int, int, bytes, str]:
    event, status, content, content_type = THROTTLES[kind]
    return event, failures, status, content, content_type


@pytest.mark.parametrize("kind", sorted(THROTTLES))
def test_a_throttling_storm_beyond_the_retries_is_a_failure(account: Account, kind: str) -> None:
    bucket = _seed_for_storm(account)
    storm = Storm(*_storm_args(kind, failures=10**6))

    run = account.collect(hook=storm.hook, max_attempts=2)

    assert run.report.status == "partial"
    (failure,) = run.report.failures
    expected = {
        "json": ("logs", "DescribeLogGroups", "ThrottlingException: Rate exceeded", "aws.logs.log_group"),
        "s3-slowdown": (
            "s3",
            "GetBucketVersioning",
            "SlowDown: Please reduce your request rate.",
            "aws.s3.bucket",
        ),
    }[kind]
    assert (failure.service, failure.operation, failure.region) == (expected[0], expected[1], "us-east-1")
    assert failure.error.startswith(expected[2]) and failure.snapshot_types == (expected[3],)
    assert storm.injected == 2 and run.report.retries == 1  # max_attempts 2: one retry, then given up
    if kind == "json":
        assert run.named("aws.s3.bucket", bucket).attributes["name"] == bucket
    else:
        assert run.named("aws.logs.log_group", "/storm/app").attributes["name"] == "/storm/app"


def test_rejected_credentials_at_the_start_fail_the_whole_target(account: Account) -> None:
    run = account.collect(
        hook=refuse("before-call.sts.AssumeRole", "ExpiredToken", "The security token expired")
    )

    assert run.report.status == "failed" and run.snapshots == []
    (failure,) = run.report.failures
    assert (failure.service, failure.operation) == ("sts", "AssumeRole")
    assert failure.error == "ExpiredToken: The security token expired"
    assert "aws.s3.bucket" in failure.snapshot_types and "aws.kms.key" in failure.snapshot_types


def test_credentials_rejected_mid_run_stop_further_calls_in_that_region(account: Account) -> None:
    account.client("logs").create_log_group(logGroupName="/never/read")
    sent: list[str] = []

    def hook(session: boto3.Session) -> None:
        refuse("before-call.kms.ListKeys", "UnrecognizedClientException", "The security token is invalid")(
            session
        )
        session.events.register("before-send.cloudwatch-logs", lambda request, **_: sent.append(request.url))

    run = account.collect(hook=hook, max_workers=1)  # one worker: steps run in plan order, kms before logs

    assert run.report.status == "partial"
    kms = _only(run.report.failures, "kms")
    assert kms.error == "UnrecognizedClientException: The security token is invalid"
    logs = _only(run.report.failures, "logs")
    assert logs.error.startswith("NotAttempted: credentials rejected earlier: UnrecognizedClientException")
    assert (logs.operation, logs.snapshot_types, sent) == ("DescribeLogGroups", ("aws.logs.log_group",), [])
    assert run.of("aws.iam.account_summary")  # read before the rejection


def test_regions_that_cannot_be_enumerated_leave_global_services_read(account: Account) -> None:
    run = account.collect(
        regions="all", hook=refuse("before-call.ec2.DescribeRegions", "UnauthorizedOperation")
    )

    assert run.report.status == "partial" and run.report.regions == []
    failure = _only(run.report.failures, "ec2")
    assert (failure.operation, failure.region) == ("DescribeRegions", None)
    assert "aws.ec2.security_group" in failure.snapshot_types and "aws.iam.user" not in failure.snapshot_types
    assert run.of("aws.iam.account_summary") and run.of("aws.kms.key") == []


def _nowhere(snapshot: ResourceSnapshot) -> None:
    raise AssertionError(f"nothing should be collected, got {snapshot.id}")


def test_an_unreachable_endpoint_fails_the_target_quickly() -> None:
    target = AwsTarget(
        name="nowhere", endpoint_url=f"http://127.0.0.1:{free_port()}", max_attempts=1, regions=["us-east-1"]
    )
    report = CollectionReport(target=target.name, provider="aws")
    started = time.monotonic()

    collect_aws(
        target,
        _nowhere,
        report,
        session_factory=lambda _: boto3.Session(
            aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
        ),
    )

    assert time.monotonic() - started < 5
    assert report.status == "failed" and report.calls == 1
    (failure,) = report.failures
    assert (failure.service, failure.operation, failure.region) == ("sts", "GetCallerIdentity", None)
    assert failure.error.startswith("EndpointConnectionError: Could not connect to the endpoint URL")


def test_a_missing_profile_fails_the_target() -> None:
    report = CollectionReport(target="ghost", provider="aws")
    collect_aws(AwsTarget(name="ghost", profile="assay-no-such-profile"), _nowhere, report)
    assert report.status == "failed"
    (failure,) = report.failures
    assert (failure.service, failure.operation) == ("session", "CreateSession")
    assert "assay-no-such-profile" in failure.error


def test_a_credential_report_that_never_completes_leaves_users_unread(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(iam, "REPORT_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(iam, "REPORT_FIRST_PAUSE", 0.05)
    account.client("iam").create_user(UserName="waiting")

    run = account.collect(hook=answer_with("before-call.iam.GenerateCredentialReport", {"State": "STARTED"}))

    failure = _only(run.report.failures, "iam")
    assert (failure.operation, failure.snapshot_types) == ("GenerateCredentialReport", ("aws.iam.user",))
    assert failure.error.startswith("ReportNotReady:")
    assert run.of("aws.iam.user") == [] and run.of("aws.iam.account_summary")


def test_an_answer_outside_the_schema_is_a_failure_not_a_crash(account: Account) -> None:
    account.client("logs").create_log_group(logGroupName="/odd/retention")

    def odd(parsed: dict[str, Any], **_: Any) -> None:
        for group in parsed.get("logGroups", ()):
            group["retentionInDays"] = "forever"

    run = account.collect(
        hook=lambda s: s.events.register("after-call.cloudwatch-logs.DescribeLogGroups", odd)
    )

    failure = _only(run.report.failures, "logs")
    assert (failure.operation, failure.snapshot_types) == ("map", ("aws.logs.log_group",))
    assert "retention_in_days" in failure.error
