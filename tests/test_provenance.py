"""Findings point at what the user must edit: the merged part a verdict comes from, at its own line."""

from __future__ import annotations

from pathlib import Path

from assay.pipeline import assess
from assay.settings import Settings
from controls import load_catalog
from policies import Status, load_policies

TF = """resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = "vpc-1"
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_s3_bucket" "exports" { bucket = "exports" }

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
  }
}
"""


def _judgements(tmp_path: Path, monkeypatch) -> dict:  # type: ignore[no-untyped-def, type-arg]
    monkeypatch.setenv("ASSAY_HOME", str(tmp_path / ".assay"))
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(TF)
    result = assess(tmp_path / "tf", load_catalog(), load_policies(), Settings())
    return {(j.policy_id, j.resource_id): j for j in result.judgements}


def test_a_verdict_from_one_rule_points_at_that_rule(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    found = _judgements(tmp_path, monkeypatch)
    ssh = found[("aws.ec2.sg_admin_ports_closed", "aws_security_group.app")]
    assert ssh.status is Status.failed and ssh.cause == "aws_security_group_rule.ssh"
    assert ssh.location is not None and ssh.location.line == 15  # the rule's line, not the group's (1)


def test_a_verdict_from_a_sibling_configuration_points_at_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    found = _judgements(tmp_path, monkeypatch)
    sse = found[("aws.s3.bucket_sse_kms", "aws_s3_bucket.exports")]
    assert sse.status is Status.failed
    assert sse.cause == "aws_s3_bucket_server_side_encryption_configuration.exports"
    assert sse.location is not None and sse.location.line == 26


def test_a_verdict_that_no_part_decides_stays_on_the_parent(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    found = _judgements(tmp_path, monkeypatch)
    pab = found[("aws.s3.bucket_public_access_block", "aws_s3_bucket.exports")]  # missing: nothing to edit
    assert pab.status is Status.failed and pab.cause is None
    assert pab.location is not None and pab.location.line == 24
    passing = found[("aws.ec2.sg_database_ports_closed", "aws_security_group.app")]
    assert passing.status is Status.passed and passing.cause is None
