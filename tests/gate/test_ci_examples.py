"""The CI examples in the README run real commands: every `assay` invocation in them parses."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from assay.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def _workflow_commands() -> list[str]:
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["gate"]["steps"]]
    return [
        line.split("||")[0].split("#")[0].strip()
        for run in runs
        for line in run.splitlines()
        if line.strip().startswith("assay ")
    ]


def _hook_commands() -> list[str]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"assay-gate", "assay-gate-fast"}
    return [f"{h['entry']} {' '.join(h['args'])}" for h in hooks]


@pytest.mark.parametrize("command", _workflow_commands() + _hook_commands())
def test_documented_command_parses(command: str) -> None:
    args = build_parser().parse_args(shlex.split(command)[1:])
    assert args.command == "gate"


def test_the_workflow_uploads_sarif_even_when_the_gate_fails() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    steps = {s.get("name"): s for s in workflow["jobs"]["gate"]["steps"]}
    assert steps["Upload findings to code scanning"]["if"] == "always()"
    assert "--format sarif" in steps["Gate (SARIF for code scanning)"]["run"]
