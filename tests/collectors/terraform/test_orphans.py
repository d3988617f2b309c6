"""Children whose parent is not in the tree are judged on a stand-in for it; siblings join by reference
first, and a literal name several parents share joins none of them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from collectors.terraform import read_terraform
from controls import load_catalog
from policies import Evaluation, Status, evaluate, load_policies

NOW = datetime(2026, 12, 1, tzinfo=UTC)

ORPHANS = """
variable "shared_sg_id" { type = string }
variable "lb_arn" { type = string }

data "aws_security_group" "app" {
  name = "app"
}

resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = var.shared_sg_id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = data.aws_security_group.app.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_lb_listener" "plain" {
  load_balancer_arn = var.lb_arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/app/0123456789abcdef"
  }
}

resource "aws_s3_bucket_public_access_block" "legacy" {
  bucket                  = "legacy-exports"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "azurerm_network_security_rule" "ssh" {
  name                        = "allow-ssh"
  resource_group_name         = "rg-dr"
  network_security_group_name = "nsg-existing"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
}
"""


def _judge(tmp_path: Path, tf: str):  # type: ignore[no-untyped-def]
    (tmp_path / "main.tf").write_text(tf)
    read = read_terraform(tmp_path, NOW)
    ev = Evaluation(read.snapshots, controls_for=load_catalog().controls_for_policy, now=NOW)
    verdicts = {(j.policy_id, j.resource_id): j for j in evaluate(load_policies(), ev)}
    return read, {s.id: s for s in read.snapshots}, verdicts


def test_each_kind_of_orphan_is_judged_on_a_stand_in_named_by_its_reference(tmp_path: Path) -> None:
    read, snapshots, verdicts = _judge(tmp_path, ORPHANS)
    assert {
        "var.shared_sg_id",
        "data.aws_security_group.app",
        "var.lb_arn",
        "legacy-exports",
        "nsg-existing",
    } <= set(snapshots)
    rdp = verdicts[("aws.ec2.sg_admin_ports_closed", "var.shared_sg_id")]
    assert rdp.status is Status.failed and rdp.location is not None and rdp.location.line == 9
    https = verdicts[("aws.ec2.sg_admin_ports_closed", "data.aws_security_group.app")]
    assert https.status is Status.passed  # what the tree declares about the group is judged
    nsg = verdicts[("azure.network.nsg_admin_ports_closed", "nsg-existing")]
    assert nsg.status is Status.failed
    assert snapshots["var.lb_arn"].type == "aws.lb.load_balancer"
    assert not [p for p in read.problems if p.level == "error"]


def test_what_the_children_do_not_say_about_the_parent_is_unknown(tmp_path: Path) -> None:
    _, snapshots, verdicts = _judge(tmp_path, ORPHANS)
    legacy = snapshots["legacy-exports"]
    assert "encryption" in legacy.unknown_paths and "public_access_block" not in legacy.unknown_paths
    assert verdicts[("aws.s3.bucket_public_access_block", "legacy-exports")].status is Status.passed
    sse = verdicts[("aws.s3.bucket_sse_kms", "legacy-exports")]
    assert sse.status is Status.unknown and "legacy-exports is not defined in this tree" in sse.message


def test_a_shared_literal_name_joins_no_parent_and_is_reported(tmp_path: Path) -> None:
    read, snapshots, _ = _judge(
        tmp_path,
        """
resource "aws_s3_bucket" "a" { bucket = "logs" }
resource "aws_s3_bucket" "b" { bucket = "logs" }
resource "aws_s3_bucket_versioning" "logs" {
  bucket = "logs"
  versioning_configuration { status = "Enabled" }
}
""",
    )
    assert not snapshots["aws_s3_bucket.a"].attributes["versioning_enabled"]
    assert not snapshots["aws_s3_bucket.b"].attributes["versioning_enabled"]
    (warning,) = [p for p in read.problems if "matches 2 resources" in p.message]
    assert "aws_s3_bucket.a" in warning.message and warning.line == 4


def test_a_reference_wins_over_a_literal_name(tmp_path: Path) -> None:
    _, snapshots, _ = _judge(
        tmp_path,
        """
resource "aws_s3_bucket" "a" { bucket = "logs" }
resource "aws_s3_bucket" "b" { bucket = "other" }
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_versioning" "a" {
  bucket = "logs"
  versioning_configuration { status = "Suspended" }
}
""",
    )
    assert snapshots["aws_s3_bucket.b"].attributes["versioning_enabled"] is True
    assert snapshots["aws_s3_bucket.a"].attributes["versioning_enabled"] is False


def test_a_child_with_its_parent_in_the_tree_makes_no_stand_in(tmp_path: Path) -> None:
    _, snapshots, _ = _judge(
        tmp_path,
        """
resource "aws_security_group" "app" { name = "app" }
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}
""",
    )
    assert set(snapshots) == {"aws_security_group.app"}
