"""A small Terraform tree with two planted violations, copied per test so tests can change it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_assay as cli_run

ROOT = Path(__file__).resolve().parents[2]

MAIN_TF = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = false
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""

DB_TF = """
resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(MAIN_TF)
    (root / "db.tf").write_text(DB_TF)
    return root


def run_assay(*args: str, cwd: Path, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    return cli_run(*args, cwd=cwd, home=home or cwd / ".assay-home")
