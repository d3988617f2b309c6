"""The run as a whole: pagination, region enumeration, rate budgets, declared permissions, credentials."""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
import pytest

import collectors.aws
from collectors import SNAPSHOT_TYPES
from collectors.aws import BOOTSTRAP, STEPS, collect_aws
from collectors.aws.budget import Budgets, TokenBucket
from collectors.aws.permissions import iam_action, required_actions
from collectors.runtime import CollectionReport
from tests.collectors.aws.conftest import Account
from tests.collectors.aws.test_equivalence import (
    seed_identity_and_data,
    seed_network_and_logs,
    seed_storage,
)


def test_every_page_is_read(account: Account) -> None:
    logs = account.client("logs")
    names = {f"/paged/group-{n:03d}" for n in range(60)}  # CloudWatch Logs pages 50 groups at a time
    for name in names:
        logs.create_log_group(logGroupName=name)

    run = account.collect()

    assert {s.name for s in run.of("aws.logs.log_group")} == names
    assert run.report.counts["aws.logs.log_group"] == 60
    assert run.report.pages - run.report.calls == 1  # one listing took a second page; every other call one


# Regions moto enumerates but has no backend for in some services: they answer HTTP 500.
MOTO_GAPS = {"guardduty", "backup"}


def test_regions_are_enumerated_not_assumed(account: Account) -> None:
    account.client("ec2", "sa-east-1").enable_ebs_encryption_by_default()

    run = account.collect(regions="all", max_attempts=1)

    expected = sorted(r["RegionName"] for r in account.client("ec2").describe_regions()["Regions"])
    assert run.report.regions == expected and len(expected) > 10
    assert run.report.notes["regions_source"] == "ec2:DescribeRegions"
    by_region = {str(s.region): s.attributes["enabled"] for s in run.of("aws.ec2.ebs_encryption_by_default")}
    assert sorted(by_region) == expected
    assert by_region["sa-east-1"] is True and by_region["us-east-1"] is False
    assert len(run.of("aws.iam.account_summary")) == 1  # global services once per account
    # Each gap is reported where it is, not silently skipped; everything else is complete.
    gaps = {(f.service, f.region) for f in run.report.failures}
    assert all(service in MOTO_GAPS and region in expected for service, region in gaps), gaps
    assert all(f.error.startswith("500: ") for f in run.report.failures)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_allows_a_burst_of_one_second_then_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4.0, clock=clock, sleep=clock.sleep)
    waits = [bucket.take() for _ in range(8)]
    assert waits[:4] == [0.0] * 4
    assert waits[4:] == pytest.approx([0.25] * 4)
    assert clock.now == pytest.approx(1.0)  # 8 calls at 4 per second, the first 4 from the burst
    clock.now += 10.0  # idle time refills to the burst size, no more
    assert [bucket.take() for _ in range(5)] == pytest.approx([0.0, 0.0, 0.0, 0.0, 0.25])


def test_token_bucket_is_shared_across_threads() -> None:
    bucket = TokenBucket(50.0)
    started = time.monotonic()
    workers = [threading.Thread(target=lambda: [bucket.take() for _ in range(25)]) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert time.monotonic() - started >= (100 - 50) / 50 * 0.95  # 100 tokens, 50 of them a burst


def test_budgets_are_per_service_and_region() -> None:
    budgets = Budgets(5.0)
    assert budgets.bucket("s3", "us-east-1") is budgets.bucket("s3", "us-east-1")
    assert budgets.bucket("s3", "eu-west-1") is not budgets.bucket("s3", "us-east-1")
    assert budgets.bucket("kms", "us-east-1") is not budgets.bucket("s3", "us-east-1")


def test_the_rate_budget_paces_one_service_in_one_region(account: Account) -> None:
    logs = account.client("logs")
    for n in range(7):
        logs.create_log_group(logGroupName=f"/paced/{n}")
    answered: list[float] = []

    def record(session: boto3.Session) -> None:
        session.events.register("after-call.cloudwatch-logs", lambda **_: answered.append(time.monotonic()))

    account.collect(hook=record, calls_per_second=4.0)

    assert len(answered) == 8  # one listing, seven tag reads
    assert answered[-1] - answered[0] >= (8 - 4) / 4 * 0.9  # four from the burst, then four per second


def _record_calls(calls: set[str], lock: threading.Lock) -> Any:
    def note(model: Any, **_: Any) -> None:
        with lock:
            calls.add(f"{model.service_model.service_name}:{model.name}")

    return lambda session: session.events.register("before-call", note)


def test_every_aws_snapshot_type_has_a_step() -> None:
    produced = {t for step in STEPS for t in step.types}
    assert produced == {t for t, spec in SNAPSHOT_TYPES.items() if spec.provider == "aws"}


def test_every_call_made_is_declared_and_documented(account: Account) -> None:
    prefix = "perm"
    seed_storage(account, prefix)
    seed_network_and_logs(account, prefix)
    seed_identity_and_data(account, prefix, f"arn:aws:kms:us-east-1:{account.account_id}:key/rds")
    observed: set[str] = set()

    run = account.collect(hook=_record_calls(observed, threading.Lock()))

    assert {(s.source, s.collector, s.account) for s in run.snapshots} == {
        ("runtime", "assay-aws/0.1", account.account_id)
    }

    declared = {call for step in (*BOOTSTRAP, *STEPS) for call in step.calls}
    assert observed - declared == set()
    assert len(observed) >= 40
    documented = collectors.aws.__doc__ or ""
    missing = [action for action in required_actions(declared) if action not in documented]
    assert missing == []
    assert iam_action("s3control:GetPublicAccessBlock") == "s3:GetAccountPublicAccessBlock"
    assert iam_action("elbv2:DescribeListeners") == "elasticloadbalancing:DescribeListeners"


def test_default_session_uses_the_environment_and_assumes_the_role(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    target = account.target()
    report = CollectionReport(target=target.name, provider="aws")
    snapshots: list[Any] = []

    collect_aws(target, snapshots.append, report)

    assert report.status == "complete", report.failures
    assert report.notes["account"] == account.account_id
    assert {s.account for s in snapshots} == {account.account_id}
