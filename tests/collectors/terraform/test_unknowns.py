"""Verdict truth on Terraform whose values cannot all be known: a corpus of small realistic trees, each with
the verdicts a careful reviewer would give. What cannot be known is `unknown`, never a guess."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.terraform import read_terraform
from controls import load_catalog
from policies import Evaluation, Judgement, Status, evaluate, load_policies

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SG = """
resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0123456789abcdef0"
}
"""


def judge(tmp_path: Path, tf: str) -> dict[tuple[str, str], Judgement]:
    (tmp_path / "main.tf").write_text(tf)
    read = read_terraform(tmp_path, NOW)
    catalog = load_catalog()
    ev = Evaluation(read.snapshots, controls_for=catalog.controls_for_policy, now=NOW)
    return {(j.policy_id, j.resource_id or ""): j for j in evaluate(load_policies(), ev)}


def status(found: dict[tuple[str, str], Judgement], policy: str, resource: str) -> Status:
    return found[(policy, resource)].status


def test_a_conditional_on_an_input_with_no_value_is_unknown_and_names_both_branches(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        SG
        + """
variable "open_admin" { type = bool }
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.open_admin ? "0.0.0.0/0" : "10.0.0.0/8"
}
""",
    )
    verdict = found[("aws.ec2.sg_admin_ports_closed", "aws_security_group.admin")]
    assert verdict.status is Status.unknown
    assert "var.open_admin" in verdict.message and "--var-file" in verdict.message
    assert "if var.open_admin: fail" in verdict.message and "unless var.open_admin: pass" in verdict.message
    assert "ingress[0].cidr_ipv4" in verdict.unknown
    # the database ports are closed whichever branch is taken: port 22 is not one of them
    assert status(found, "aws.ec2.sg_database_ports_closed", "aws_security_group.admin") is Status.passed


@pytest.mark.parametrize(
    ("branches", "expected"),
    [
        ('"0.0.0.0/0" : "0.0.0.0/0"', Status.failed),  # both branches open SSH to the internet
        ('"10.0.0.0/8" : "192.168.0.0/16"', Status.passed),  # neither does
    ],
)
def test_branches_that_agree_are_judged(tmp_path: Path, branches: str, expected: Status) -> None:
    found = judge(
        tmp_path,
        SG
        + f"""
variable "wide" {{}}
resource "aws_vpc_security_group_ingress_rule" "ssh" {{
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.wide ? {branches}
}}
""",
    )
    assert status(found, "aws.ec2.sg_admin_ports_closed", "aws_security_group.admin") is expected


def test_an_input_in_a_list_is_unknown_not_a_pass(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "admin_cidr" { type = string }
resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
""",
    )
    verdict = found[("aws.ec2.sg_admin_ports_closed", "aws_security_group.bastion")]
    assert verdict.status is Status.unknown and "var.admin_cidr" in verdict.message
    # a string is one CIDR: the rule stays one rule on 3389, which no database port is, whatever the CIDR
    assert status(found, "aws.ec2.sg_database_ports_closed", "aws_security_group.bastion") is Status.passed


def test_an_algorithm_chosen_by_an_unknown_condition_is_not_reported_as_known(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "kms_key_arn" { type = string }
resource "aws_s3_bucket" "exports" { bucket = "exports" }
resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn != "" ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
  }
}
""",
    )
    verdict = found[("aws.s3.bucket_sse_kms", "aws_s3_bucket.exports")]
    assert verdict.status is Status.unknown
    assert "default encryption is aws:kms" not in verdict.message.split("(")[0]
    assert "encryption.algorithm" in verdict.unknown


def test_a_known_value_for_the_same_condition_is_judged(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "kms_key_arn" { default = "" }
resource "aws_s3_bucket" "exports" { bucket = "exports" }
resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.kms_key_arn != "" ? "aws:kms" : "AES256"
    }
  }
}
""",
    )
    assert status(found, "aws.s3.bucket_sse_kms", "aws_s3_bucket.exports") is Status.failed


def test_a_dynamic_block_over_an_unknown_collection_is_judged_both_ways(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "sse_rules" {}
resource "aws_s3_bucket" "b" { bucket = "b" }
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  dynamic "rule" {
    for_each = var.sse_rules
    content {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
""",
    )
    verdict = found[("aws.s3.bucket_sse_kms", "aws_s3_bucket.b")]
    assert verdict.status is Status.unknown
    assert "is empty: fail" in verdict.message and "pass" in verdict.message


def test_dynamic_rules_from_an_unknown_input_make_port_checks_unknown(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "rules" {}
resource "aws_security_group" "app" {
  name = "app"
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}
""",
    )
    assert status(found, "aws.ec2.sg_admin_ports_closed", "aws_security_group.app") is Status.unknown


def test_a_data_source_value_is_unknown_with_its_own_advice(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
data "aws_ssm_parameter" "open" { name = "/net/open" }
resource "aws_security_group" "lb" {
  name = "lb"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [data.aws_ssm_parameter.open.value]
  }
}
""",
    )
    verdict = found[("aws.ec2.sg_admin_ports_closed", "aws_security_group.lb")]
    assert verdict.status is Status.unknown and "data.aws_ssm_parameter.open" in verdict.message
    assert "plan JSON" in verdict.message


def test_an_unknown_the_policy_does_not_read_leaves_its_verdict_alone(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "owner" {}
resource "aws_kms_key" "k" {
  description         = "orders"
  enable_key_rotation = true
  tags                = { owner = var.owner }
}
""",
    )
    assert status(found, "aws.kms.key_rotation", "aws_kms_key.k") is Status.passed


def test_a_flag_set_from_another_resource_is_unknown(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
resource "aws_ssm_parameter" "rotate" {
  name  = "/kms/rotate"
  type  = "String"
}
resource "aws_kms_key" "k" {
  description         = "orders"
  enable_key_rotation = aws_ssm_parameter.rotate.insecure_value
}
""",
    )
    verdict = found[("aws.kms.key_rotation", "aws_kms_key.k")]
    assert verdict.status is Status.unknown and "aws_ssm_parameter.rotate.insecure_value" in verdict.message


def test_a_key_referenced_from_another_resource_is_present(tmp_path: Path) -> None:
    """A reference names a value that will exist: presence checks rely on it, as Terraform does."""
    found = judge(
        tmp_path,
        """
resource "aws_kms_key" "etcd" {
  description         = "etcd"
  enable_key_rotation = true
}
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config { subnet_ids = ["subnet-1"] }
  encryption_config {
    resources = ["secrets"]
    provider { key_arn = aws_kms_key.etcd.arn }
  }
}
""",
    )
    assert status(found, "aws.eks.secrets_encryption", "aws_eks_cluster.main") is Status.passed


def test_module_inputs_with_no_value_are_unknown_inside_the_module(tmp_path: Path) -> None:
    module = tmp_path / "modules" / "net"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        """
variable "admin_cidr" {}
resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
"""
    )
    found = judge(
        tmp_path,
        """
variable "admin_cidr" {}
module "net" {
  source     = "./modules/net"
  admin_cidr = var.admin_cidr
}
""",
    )
    verdict = found[("aws.ec2.sg_admin_ports_closed", "module.net.aws_security_group.bastion")]
    assert verdict.status is Status.unknown and "var.admin_cidr" in verdict.message


def test_rego_policies_are_judged_on_the_branches_too(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "from_anywhere" { type = bool }
resource "azurerm_network_security_group" "dr" {
  name                = "nsg-dr"
  location            = "eastus2"
  resource_group_name = "rg-dr"
  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = var.from_anywhere ? "*" : "10.20.0.0/16"
    destination_address_prefix = "*"
  }
}
""",
    )
    verdict = found[("azure.network.nsg_admin_ports_closed", "azurerm_network_security_group.dr")]
    assert verdict.status is Status.unknown and "var.from_anywhere" in verdict.message


def test_an_opaque_rego_input_is_probed_with_the_values_that_decide_it(tmp_path: Path) -> None:
    found = judge(
        tmp_path,
        """
variable "source_prefix" { type = string }
resource "azurerm_network_security_group" "dr" {
  name                = "nsg-dr"
  location            = "eastus2"
  resource_group_name = "rg-dr"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.source_prefix
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "https"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "10.0.0.0/8"
    destination_address_prefix = "*"
  }
}
""",
    )
    verdict = found[("azure.network.nsg_admin_ports_closed", "azurerm_network_security_group.dr")]
    assert verdict.status is Status.unknown and "var.source_prefix" in verdict.message


def test_branches_that_agree_override_a_policys_own_unknown(tmp_path: Path) -> None:
    """IAM-05 says `unknown` itself for an interval it cannot read; two known branches both within 90 days
    are judged, and one beyond it is a failure of that branch."""
    tf = """
variable "strict" { type = bool }
resource "aws_secretsmanager_secret" "db" { name = "db" }
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate"
  rotation_rules { schedule_expression = var.strict ? "rate(30 days)" : "%s" }
}
"""
    found = judge(tmp_path, tf % "rate(60 days)")
    assert (
        status(found, "aws.secretsmanager.rotation_enabled", "aws_secretsmanager_secret.db") is Status.passed
    )
    found = judge(tmp_path, tf % "rate(120 days)")
    verdict = found[("aws.secretsmanager.rotation_enabled", "aws_secretsmanager_secret.db")]
    assert verdict.status is Status.unknown and "var.strict" in verdict.message
