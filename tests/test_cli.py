"""End-to-end: every user-facing command, run as a user runs it (a subprocess), with its exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_assay

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "platform"
READER = ROOT / "tests" / "collectors" / "terraform" / "fixtures" / "reader"


def assay(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_assay(*args, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def example_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("home")
    proc = assay("evaluate", str(EXAMPLE), "--format", "json", env={"ASSAY_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_controls_list_json_covers_three_frameworks() -> None:
    proc = assay("controls", "list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    controls = json.loads(proc.stdout)
    assert len(controls) >= 50
    for fw in ("soc2", "pci-dss", "gdpr"):
        assert sum(1 for c in controls if c["requirements"].get(fw)) >= 15


def test_controls_list_filters_by_framework() -> None:
    proc = assay("controls", "list", "--framework", "gdpr")
    assert proc.returncode == 0 and "ENC-01" in proc.stdout and "controls" in proc.stdout.splitlines()[-1]


def test_controls_show_names_requirements_policies_and_checkov() -> None:
    proc = assay("controls", "show", "ENC-03")
    assert proc.returncode == 0, proc.stderr
    assert "aws.s3.bucket_sse_kms" in proc.stdout and "CC6.1" in proc.stdout and "CKV_" in proc.stdout


def test_unknown_control_is_one_clear_line_and_exit_2() -> None:
    proc = assay("controls", "show", "ZZZ-99")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown control 'ZZZ-99'" in proc.stderr


def test_policies_list_by_engine() -> None:
    rego = json.loads(assay("policies", "list", "--engine", "rego", "--format", "json").stdout)
    assert len(rego) >= 15 and {p["engine"] for p in rego} == {"rego"}
    assert all(p["controls"] for p in rego)


def test_policies_list_shows_the_severity_findings_carry(example_json: dict[str, object]) -> None:
    listed = {p["id"]: p for p in json.loads(assay("policies", "list", "--format", "json").stdout)}
    controls = {
        c["id"]: c["severity"] for c in json.loads(assay("controls", "list", "--format", "json").stdout)
    }
    ranks = ["low", "medium", "high", "critical"]
    for policy in listed.values():
        served = [controls[c] for c in policy["controls"] if c in controls]
        assert policy["severity"] == (max(served, key=ranks.index) if served else policy["policy_severity"])
    raised = [p for p in listed.values() if p["severity"] != p["policy_severity"]]
    assert raised, "some policies serve a control more severe than themselves"
    judgements = example_json["judgements"]
    assert isinstance(judgements, list) and judgements
    assert {(j["policy_id"], j["severity"]) for j in judgements} <= {
        (p, listed[p]["severity"]) for p in listed
    }
    table = assay("policies", "list").stdout.splitlines()
    row = next(line for line in table if line.startswith(raised[0]["id"] + " "))
    assert row.split()[2] == raised[0]["severity"]


def test_evaluate_example_lists_judgements_with_controls_addresses_files_and_lines(
    example_json: dict[str, object],
) -> None:
    judgements = example_json["judgements"]
    assert isinstance(judgements, list) and judgements
    failing = [j for j in judgements if j["status"] == "fail"]
    assert failing, "the example platform has planted violations"
    for j in failing:
        assert j["control_ids"] and j["resource"] and j["file"] and j["line"], j
    assert example_json["problems"] == []


def test_evaluate_example_catches_planted_violations(example_json: dict[str, object]) -> None:
    failed_controls = {
        c for j in example_json["judgements"] if j["status"] == "fail" for c in j["control_ids"]
    }  # type: ignore[union-attr]
    for control in ("NET-01", "ENC-03", "LOG-05", "TLS-03", "NET-03", "ENC-02", "IAM-06", "K8S-04", "K8S-05"):
        assert control in failed_controls, control


def test_evaluate_table_shows_failures_and_a_summary() -> None:
    proc = assay("evaluate", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "FAIL" in proc.stdout and "resources judged by" in proc.stdout


def test_evaluate_broken_file_reports_file_and_line_judges_the_rest_and_exits_2() -> None:
    proc = assay("evaluate", str(READER / "broken"), "--format", "json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert [j["resource"] for j in doc["judgements"] if j["resource"]] == ["aws_kms_key.fine"]
    assert len(doc["problems"]) == 1 and "bad.tf:" in doc["problems"][0]


def test_evaluate_plan_json() -> None:
    proc = assay("evaluate", str(READER / "plan" / "tfplan.json"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    resources = {j["resource"] for j in json.loads(proc.stdout)["judgements"]}
    assert "module.logs.aws_cloudwatch_log_group.app[0]" in resources


@pytest.mark.parametrize("make_path", [lambda p: p, lambda p: p / "nope"])
def test_evaluate_nothing_to_judge_is_exit_2(tmp_path: Path, make_path: object) -> None:
    proc = assay("evaluate", str(make_path(tmp_path)))  # type: ignore[operator]
    assert proc.returncode == 2 and proc.stderr.startswith("assay: error:") and "Traceback" not in proc.stderr


def test_usage_error_is_exit_2() -> None:
    assert assay("evaluate").returncode == 2


def test_demo_runs_the_whole_flow_and_says_where_results_are(tmp_path: Path) -> None:
    proc = assay(
        "demo",
        env={"ASSAY_HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("iac.json", "runtime.json"):
        assert json.loads((tmp_path / "demo" / name).read_text())["judgements"]
    assert "Verification:       OK" in proc.stdout and str(tmp_path / "evidence") in proc.stdout
    for provider in ("aws", "azure", "kubernetes"):
        assert f"collected {provider}:" in proc.stdout and "complete" in proc.stdout


def test_works_from_another_working_directory(tmp_path: Path) -> None:
    proc = assay("evaluate", str(READER / "plan" / "tfplan.json"), "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


BASTION_TF = """
variable "admin_cidr" {
  type        = string
  description = "who may reach the bastion over SSH"
  default     = "10.0.0.0/8"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH for the on-call engineers"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
"""


@pytest.fixture
def bastion(tmp_path: Path) -> Path:
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(BASTION_TF)
    (tmp_path / "open.tfvars").write_text('admin_cidr = "0.0.0.0/0"\n')
    return root


def _net01(doc: dict[str, object]) -> set[str]:
    return {
        j["status"]
        for j in doc["judgements"]  # type: ignore[attr-defined]
        if j["policy_id"] == "aws.ec2.sg_admin_ports_closed" and j["resource"] == "aws_security_group.bastion"
    }


def test_evaluate_var_file_opens_the_bastion_and_net01_fails(bastion: Path) -> None:
    closed = assay("evaluate", str(bastion), "--format", "json", cwd=bastion.parent)
    assert closed.returncode == 0, closed.stderr
    assert _net01(json.loads(closed.stdout)) == {"pass"}
    opened = assay(
        "evaluate", str(bastion), "--var-file", "open.tfvars", "--format", "json", cwd=bastion.parent
    )
    assert opened.returncode == 0, opened.stderr
    assert _net01(json.loads(opened.stdout)) == {"fail"}
    table = assay("evaluate", str(bastion), "--var-file", "open.tfvars", cwd=bastion.parent)
    assert "FAIL" in table.stdout and "NET-01" in table.stdout and "0.0.0.0/0" in table.stdout


def test_evaluate_var_and_tf_var_and_auto_tfvars(bastion: Path) -> None:
    by_env = assay("evaluate", str(bastion), "--format", "json", env={"TF_VAR_admin_cidr": "0.0.0.0/0"})
    assert _net01(json.loads(by_env.stdout)) == {"fail"}
    (bastion / "office.auto.tfvars").write_text('admin_cidr = "203.0.113.0/24"\n')
    auto = assay("evaluate", str(bastion), "--format", "json", env={"TF_VAR_admin_cidr": "0.0.0.0/0"})
    assert _net01(json.loads(auto.stdout)) == {"pass"}  # an auto.tfvars beats the environment
    by_var = assay("evaluate", str(bastion), "--var", "admin_cidr=0.0.0.0/0", "--format", "json")
    assert _net01(json.loads(by_var.stdout)) == {"fail"}  # --var beats the auto.tfvars


@pytest.mark.parametrize(
    "command", [["evaluate"], ["gate", "--no-checkov"], ["run"], ["drift", "--provider", "aws"]]
)
@pytest.mark.parametrize(
    "option,message",
    [
        (["--var-file", "missing.tfvars"], "--var-file missing.tfvars: no such file"),
        (["--var", "admin_cidr"], "expected NAME=VALUE"),
    ],
)
def test_bad_variable_options_are_one_line_and_exit_2(
    bastion: Path, command: list[str], option: list[str], message: str
) -> None:
    proc = run_assay(
        command[0], str(bastion), *command[1:], *option, cwd=bastion.parent, home=bastion.parent / "home"
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("assay: error: ") and message in lines[0]


def test_undeclared_var_is_an_error_only_when_no_root_declares_it(bastion: Path) -> None:
    other = bastion.parent / "infra" / "dns"
    other.mkdir()
    (other / "main.tf").write_text('resource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n')
    known = assay("evaluate", str(bastion), "--var", "admin_cidr=0.0.0.0/0", "--format", "json")
    assert known.returncode == 0, known.stderr  # the dns root does not declare it; the bastion root does
    typo = assay("evaluate", str(bastion), "--var", "admn_cidr=0.0.0.0/0", "--format", "json")
    assert typo.returncode == 2
    assert any(
        "admn_cidr" in p and "no root module declares" in p for p in json.loads(typo.stdout)["problems"]
    )


def test_run_path_takes_the_variable_options(bastion: Path) -> None:
    proc = run_assay(
        "run",
        str(bastion),
        "--var-file",
        "open.tfvars",
        "--format",
        "json",
        cwd=bastion.parent,
        home=bastion.parent / "home",
    )
    assert proc.returncode == 0, proc.stderr
    assert _net01(json.loads(proc.stdout)) == {"fail"}
