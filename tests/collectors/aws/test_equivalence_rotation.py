"""Rotation intervals and gateway load balancers judged alike from Terraform and from the cloud.

moto keeps a secret's AutomaticallyAfterDays but drops a ScheduleExpression, so rate() and cron()
schedules are compared on DescribeSecret answers shaped as AWS documents them, through the collector's
own mapping; everything else is created in moto and collected."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.aws.secretsmanager import SECRET, secret_attributes
from collectors.snapshot import ResourceSnapshot, make_snapshot
from collectors.terraform import read_terraform
from tests.collectors.aws.conftest import Account, unique
from tests.collectors.aws.test_equivalence import NOW, _verdicts
from tests.collectors.aws.test_storage import _rotation_lambda

TERRAFORM = """
resource "aws_secretsmanager_secret" "{name}" {{
  name = "{p}-{name}"
}}

resource "aws_secretsmanager_secret_rotation" "{name}" {{
  secret_id           = aws_secretsmanager_secret.{name}.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate"
  rotation_rules {{
    {rule}
  }}
}}
"""

LOAD_BALANCERS = """
resource "aws_lb" "inspection" {{
  name               = "{p}-gwlb"
  load_balancer_type = "gateway"
  subnets            = ["{subnet}"]
}}

resource "aws_lb_listener" "inspection" {{
  load_balancer_arn = aws_lb.inspection.arn
  default_action {{
    type             = "forward"
    target_group_arn = "{appliances}"
  }}
}}

resource "aws_lb" "grpc" {{
  name               = "{p}-nlb"
  internal           = true
  load_balancer_type = "network"
  subnets            = ["{subnet}"]
}}

resource "aws_lb_listener" "grpc" {{
  load_balancer_arn = aws_lb.grpc.arn
  port              = 8443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "{certificate}"
  default_action {{
    type             = "forward"
    target_group_arn = "{appliances}"
  }}
}}
"""

SCHEDULES = {  # name: (ScheduleExpression, the day count DescribeSecret derives from it, expected verdict)
    "monthly": ("cron(0 12 1 * ? *)", 31, "pass"),
    "sundays": ("cron(0 3 ? * SUN#1 *)", 35, "pass"),
    "hourly": ("rate(12 hours)", None, "pass"),
    "yearly": ("cron(0 12 1 1 ? *)", 365, "fail"),
    "quarterly": ("cron(0 0 1 1/3 ? *)", 92, "fail"),
    "seasonal": ("rate(120 days)", 120, "fail"),
}


def _terraform(tmp_path: Path, text: str) -> list[ResourceSnapshot]:
    (tmp_path / "main.tf").write_text(text)
    read = read_terraform(tmp_path, NOW)
    assert [str(p) for p in read.problems] == []
    return read.snapshots


def _by_policy(snapshots: list[ResourceSnapshot], source: str, policy: str) -> dict[str | None, str]:
    return {key[1][1]: status for key, status in _verdicts(snapshots, source).items() if key[0] == policy}


def test_rotation_day_counts_alike(account: Account, tmp_path: Path) -> None:
    prefix = unique("rot")
    days = {"monthly": 30, "slow": 180}
    rules = {name: f"automatically_after_days = {n}" for name, n in days.items()}
    terraform = _terraform(
        tmp_path, "".join(TERRAFORM.format(p=prefix, name=n, rule=r) for n, r in rules.items())
    )
    secrets_manager = account.client("secretsmanager")
    rotator = _rotation_lambda(account)
    for name, count in days.items():
        secrets_manager.create_secret(Name=f"{prefix}-{name}", SecretString="never-collected")
        secrets_manager.rotate_secret(
            SecretId=f"{prefix}-{name}",
            RotationLambdaARN=rotator,
            RotationRules={"AutomaticallyAfterDays": count},
        )
    runtime = [s for s in account.collect().of(SECRET) if str(s.name).startswith(prefix)]

    policy = "aws.secretsmanager.rotation_enabled"
    from_terraform = _by_policy(terraform, "iac", policy)
    assert from_terraform == _by_policy(runtime, "runtime", policy)
    assert from_terraform == {f"{prefix}-monthly": "pass", f"{prefix}-slow": "fail"}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_rotation_schedules_alike(name: str, tmp_path: Path) -> None:
    expression, derived_days, expected = SCHEDULES[name]
    rule = f'schedule_expression = "{expression}"'
    (terraform,) = _terraform(tmp_path, TERRAFORM.format(p="orders", name=name, rule=rule))
    rules: dict[str, object] = {"ScheduleExpression": expression, "Duration": "3h"}
    if derived_days is not None:
        rules["AutomaticallyAfterDays"] = derived_days
    arn = f"arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-{name}-AbCdEf"
    answer = {
        "ARN": arn,
        "Name": f"orders-{name}",
        "RotationEnabled": True,
        "RotationLambdaARN": "arn:aws:lambda:us-east-1:111122223333:function:rotate",
        "RotationRules": rules,
    }
    runtime = make_snapshot(
        id=arn,
        type=SECRET,
        source="runtime",
        attributes=secret_attributes(answer),
        collector="aws",
        raw=answer,
        name=f"orders-{name}",
    )
    assert runtime.attributes["rotation_schedule"] == terraform.attributes["rotation_schedule"] == expression
    policy = "aws.secretsmanager.rotation_enabled"
    assert _by_policy([terraform], "iac", policy) == _by_policy([runtime], "runtime", policy)
    assert _by_policy([runtime], "runtime", policy) == {f"orders-{name}": expected}


def _seed_load_balancers(account: Account, prefix: str) -> dict[str, str]:
    ec2, elb = account.client("ec2"), account.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24", AvailabilityZone="us-east-1a")
    subnets = [subnet["Subnet"]["SubnetId"]]
    appliances = elb.create_target_group(Name=f"{prefix}-gw", Protocol="GENEVE", Port=6081, VpcId=vpc)
    group = appliances["TargetGroups"][0]["TargetGroupArn"]
    certificate = account.client("acm").request_certificate(DomainName="grpc.example.com")["CertificateArn"]
    forward = [{"Type": "forward", "TargetGroupArn": group}]
    gateway = elb.create_load_balancer(Name=f"{prefix}-gwlb", Subnets=subnets, Type="gateway")
    elb.create_listener(
        LoadBalancerArn=gateway["LoadBalancers"][0]["LoadBalancerArn"], DefaultActions=forward
    )
    network = elb.create_load_balancer(
        Name=f"{prefix}-nlb", Subnets=subnets, Scheme="internal", Type="network"
    )
    elb.create_listener(
        LoadBalancerArn=network["LoadBalancers"][0]["LoadBalancerArn"],
        Protocol="TLS",
        Port=8443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=forward,
    )
    return {"subnet": subnets[0], "appliances": group, "certificate": certificate}


def test_gateway_load_balancers_alike(account: Account, tmp_path: Path) -> None:
    prefix = unique("gw")[:20]
    seeded = _seed_load_balancers(account, prefix)
    terraform = _terraform(tmp_path, LOAD_BALANCERS.format(p=prefix, **seeded))
    runtime = account.collect().of("aws.lb.load_balancer")
    for policy in ("aws.lb.listener_tls", "aws.lb.waf_attached"):
        from_terraform = _by_policy(terraform, "iac", policy)
        assert from_terraform == {
            k: v for k, v in _by_policy(runtime, "runtime", policy).items() if k in from_terraform
        }
    assert _by_policy(terraform, "iac", "aws.lb.listener_tls") == {
        f"{prefix}-gwlb": "not_applicable",
        f"{prefix}-nlb": "pass",
    }
