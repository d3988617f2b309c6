"""Secrets set from references and inputs count as present; rotation intervals Terraform cannot know stay
visible as `${...}` text, so IAM-05 says unknown; gateway load balancers are no TLS-05 subjects."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from collectors.snapshot import ResourceSnapshot
from collectors.terraform import TfModel, TfResource, read_terraform, to_snapshots
from collectors.terraform.model import UNKNOWN
from policies import Evaluation, evaluate, load_policies

FIXTURE = Path(__file__).parent / "fixtures" / "aws" / "secret_inputs"
NOW = datetime(2026, 11, 21, tzinfo=UTC)
POLICIES = load_policies()


def _verdicts(snapshots: list[ResourceSnapshot]) -> dict[tuple[str, str | None], tuple[str, str]]:
    evaluation = Evaluation(snapshots, controls_for=lambda _: (), now=NOW, sources=("iac",))
    return {(j.policy_id, j.resource_id): (j.status.value, j.message) for j in evaluate(POLICIES, evaluation)}


@pytest.fixture(scope="module")
def read() -> dict[str, ResourceSnapshot]:
    result = read_terraform(FIXTURE)
    assert [str(p) for p in result.problems] == []
    return {s.id: s for s in result.snapshots}


def test_auth_tokens_from_references_are_present(read: dict[str, ResourceSnapshot]) -> None:
    for group in ("sessions", "quotes"):  # a generated password, a data source
        assert read[f"aws_elasticache_replication_group.{group}"].attributes["auth_token_enabled"] is True
    # the DELETE strategy removes the token on apply: nothing authenticates clients any more
    assert read["aws_elasticache_replication_group.retiring"].attributes["auth_token_enabled"] is False
    verdicts = _verdicts(list(read.values()))
    policy = "aws.elasticache.transit_encryption_auth"
    assert verdicts[(policy, "aws_elasticache_replication_group.sessions")][0] == "pass"
    assert verdicts[(policy, "aws_elasticache_replication_group.quotes")][0] == "pass"
    assert verdicts[(policy, "aws_elasticache_replication_group.retiring")][0] == "fail"


def test_rotation_intervals_as_written(read: dict[str, ResourceSnapshot]) -> None:
    monthly = read["aws_secretsmanager_secret.monthly"].attributes
    assert (monthly["rotation_schedule"], monthly["rotation_days"]) == ("cron(0 12 1 * ? *)", None)
    assert read["aws_secretsmanager_secret.shared"].attributes["rotation_schedule"] == "cron(0 12 1 1 ? *)"
    parameterised = read["aws_secretsmanager_secret.parameterised"].attributes
    assert parameterised["rotation_days"] == "${data.aws_ssm_parameter.rotation_days.value}"
    verdicts = _verdicts(list(read.values()))
    policy = "aws.secretsmanager.rotation_enabled"
    assert verdicts[(policy, "aws_secretsmanager_secret.monthly")] == (
        "pass",
        "the secret rotates on cron(0 12 1 * ? *), at most 31 days apart",
    )
    status, message = verdicts[(policy, "aws_secretsmanager_secret.shared")]  # the variable's default
    assert (status, "366 days apart; expected at most 90" in message) == ("fail", True)
    assert verdicts[(policy, "aws_secretsmanager_secret.parameterised")] == (
        "unknown",
        "rotation interval depends on data.aws_ssm_parameter.rotation_days.value, known only when "
        "Terraform plans: gate the plan JSON",
    )


def test_gateway_load_balancers_are_no_tls_subjects(read: dict[str, ResourceSnapshot]) -> None:
    assert read["aws_lb.inspection"].attributes["type"] == "gateway"
    verdicts = _verdicts(list(read.values()))
    assert verdicts[("aws.lb.listener_tls", "aws_lb.inspection")][0] == "not_applicable"
    assert verdicts[("aws.lb.waf_attached", "aws_lb.inspection")][0] == "not_applicable"
    assert verdicts[("aws.lb.listener_tls", "aws_lb.grpc")][0] == "pass"  # network load balancers still are


def _resource(rtype: str, name: str, values: dict[str, Any], **refs: list[str]) -> TfResource:
    return TfResource(f"{rtype}.{name}", rtype, name, "", values, "main.tf", refs=refs)


def _snapshots(*resources: TfResource) -> list[ResourceSnapshot]:
    snapshots, problems = to_snapshots(TfModel(list(resources)))
    assert [str(p) for p in problems] == []
    return snapshots


@pytest.mark.parametrize(
    ("token", "present"),
    [
        ("${var.redis_auth_token}", True),  # a required, sensitive input: how the reader leaves it
        ("${module.secrets.redis_auth_token}", True),
        (UNKNOWN, True),  # a plan's token generated at apply
        ("s3cr3t-token-value-long-enough", True),
        ("", False),
        (None, False),
    ],
)
def test_auth_token_presence(token: str | None, present: bool) -> None:
    values = {"replication_group_id": "sessions", "transit_encryption_enabled": True, "auth_token": token}
    (group,) = _snapshots(_resource("aws_elasticache_replication_group", "sessions", values))
    assert group.attributes["auth_token_enabled"] is present
    status = _verdicts([group])[("aws.elasticache.transit_encryption_auth", group.id)][0]
    assert status == ("pass" if present else "fail")


def _secret_with_rules(rules: Any) -> ResourceSnapshot:
    secret = _resource("aws_secretsmanager_secret", "db", {"name": "orders/db"})
    rotation = _resource(
        "aws_secretsmanager_secret_rotation",
        "db",
        {"secret_id": "${aws_secretsmanager_secret.db.id}", "rotation_rules": rules},
        secret_id=["aws_secretsmanager_secret.db"],
    )
    (snapshot,) = _snapshots(secret, rotation)
    return snapshot


@pytest.mark.parametrize(
    ("rules", "attributes", "status", "message"),
    [
        (
            [{"automatically_after_days": "${var.days}"}],
            {"rotation_days": "${var.days}", "rotation_schedule": None},
            "unknown",
            "rotation interval depends on var.days: set it in a .tfvars file, pass --var-file, "
            "or gate the plan JSON",
        ),
        (
            [{"schedule_expression": '${var.strict ? "rate(30 days)" : var.schedule}'}],
            {"rotation_days": None, "rotation_schedule": '${var.strict ? "rate(30 days)" : var.schedule}'},
            "unknown",
            "rotation interval depends on var.schedule, var.strict: set them in a .tfvars file",
        ),
        (
            "${local.rotation_rules}",  # the whole block from an object Terraform cannot know
            {"rotation_days": None, "rotation_schedule": "${local.rotation_rules}"},
            "unknown",
            "rotation interval depends on local.rotation_rules",
        ),
        (
            [{"automatically_after_days": "45"}],
            {"rotation_days": 45, "rotation_schedule": None},
            "pass",
            "every 45 days",
        ),
        (
            [{"schedule_expression": "rate(4 weeks)"}],
            {"rotation_days": None, "rotation_schedule": "rate(4 weeks)"},
            "fail",
            "not one Secrets Manager accepts",
        ),
        ([], {"rotation_days": None, "rotation_schedule": None}, "fail", "sets no interval"),
        (  # a plan states the setting not used as 0 or ""
            [{"automatically_after_days": 0, "duration": "3h", "schedule_expression": "cron(0 12 1 * ? *)"}],
            {"rotation_days": None, "rotation_schedule": "cron(0 12 1 * ? *)"},
            "pass",
            "at most 31 days apart",
        ),
        (
            [{"automatically_after_days": 30, "duration": "", "schedule_expression": ""}],
            {"rotation_days": 30, "rotation_schedule": None},
            "pass",
            "every 30 days",
        ),
        (
            [{"automatically_after_days": 0, "duration": "", "schedule_expression": ""}],
            {"rotation_days": None, "rotation_schedule": None},
            "fail",
            "sets no interval",
        ),
    ],
)
def test_rotation_rules(rules: Any, attributes: dict[str, Any], status: str, message: str) -> None:
    secret = _secret_with_rules(rules)
    assert {k: secret.attributes[k] for k in attributes} == attributes
    assert secret.attributes["rotation_enabled"] is True
    got_status, got_message = _verdicts([secret])[("aws.secretsmanager.rotation_enabled", secret.id)]
    assert (got_status, message in got_message) == (status, True), got_message


def test_load_balancer_type_from_an_input() -> None:
    lb = _resource("aws_lb", "edge", {"name": "edge", "load_balancer_type": "${var.lb_type}"})
    listener = _resource(
        "aws_lb_listener",
        "edge",
        {"load_balancer_arn": "${aws_lb.edge.arn}", "port": 443, "protocol": "HTTPS"},
        load_balancer_arn=["aws_lb.edge"],
    )
    (snapshot,) = _snapshots(lb, listener)
    assert snapshot.attributes["type"] == "${var.lb_type}"
    verdicts = _verdicts([snapshot])
    status, message = verdicts[("aws.lb.listener_tls", "aws_lb.edge")]
    assert status == "unknown" and message.startswith("load balancer type depends on var.lb_type"), message
    assert verdicts[("aws.lb.waf_attached", "aws_lb.edge")][0] == "unknown"
