"""Folding checkov into Assay's findings: worst verdict wins, siblings map to parents, crashes are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assay.gate.merge import AddressIndex, checkov_failures, merge_checkov
from controls import load_catalog
from policies.checkov import CheckovResult, CheckovRun, run_checkov
from reports.findings import Finding

CATALOG = load_catalog()


def _finding(status: str, resource: str = "aws_security_group.bastion", control: str = "NET-01") -> Finding:
    return Finding(
        control_ids=[control],
        requirements={},
        policy_id="aws.ec2.sg_admin_ports_closed",
        engine="python",
        resource=resource,
        file="main.tf",
        line=3,
        severity="high",
        status=status,
        message="assay says so",
        fingerprint="f",
    )


def _result(
    result: str, resource: str = "aws_security_group.bastion", check: str = "CKV_AWS_24"
) -> CheckovResult:
    return CheckovResult(check, "Ensure no SG allows 22 from 0.0.0.0/0", resource, "/x/main.tf", 3, result)


def test_checkov_fail_overrides_an_assay_pass_and_says_so() -> None:
    findings = merge_checkov(
        [_finding("pass")],
        CheckovRun([_result("fail")]),
        CATALOG,
        AddressIndex.build(["aws_security_group.bastion"], {}),
    )
    (merged,) = findings
    assert merged.status == "fail" and merged.engine == "checkov" and merged.check_id == "CKV_AWS_24"
    assert "CKV_AWS_24" in merged.message and "assay says so" in merged.message


def test_checkov_pass_never_hides_an_assay_fail() -> None:
    (merged,) = merge_checkov(
        [_finding("fail")],
        CheckovRun([_result("pass")]),
        CATALOG,
        AddressIndex.build(["aws_security_group.bastion"], {}),
    )
    assert merged.status == "fail" and merged.engine == "python"


def test_sibling_results_land_on_the_parent_and_for_each_instances_share_the_template() -> None:
    index = AddressIndex.build(
        ['module.s.aws_s3_bucket.this["a"]', 'module.s.aws_s3_bucket.this["b"]'],
        {'module.s.aws_s3_bucket_public_access_block.this["a"]': {'module.s.aws_s3_bucket.this["a"]'}},
    )
    assert index.targets("module.s.aws_s3_bucket_public_access_block.this") == {
        'module.s.aws_s3_bucket.this["a"]'
    }
    assert index.targets("module.s.aws_s3_bucket.this") == {
        'module.s.aws_s3_bucket.this["a"]',
        'module.s.aws_s3_bucket.this["b"]',
    }


def test_a_result_without_an_assay_counterpart_stands_alone() -> None:
    findings = merge_checkov(
        [], CheckovRun([_result("fail", "aws_security_group.other")]), CATALOG, AddressIndex()
    )
    (alone,) = findings
    assert (alone.engine, alone.policy_id, alone.status, alone.control_ids) == (
        "checkov",
        "CKV_AWS_24",
        "fail",
        ["NET-01"],
    )


def test_crash_and_parse_errors_are_errors_for_the_controls_checkov_serves() -> None:
    run = CheckovRun(parse_errors=["/x/bad.tf"], crash="RuntimeError: boom")
    errors = checkov_failures(run, CATALOG, ["CKV_AWS_24", "CKV_AWS_7"])
    assert [e.status for e in errors] == ["error", "error"]
    assert set(errors[0].control_ids) == {"NET-01", "ENC-02"} and "boom" in errors[0].message
    assert errors[1].file and errors[1].file.endswith("bad.tf")


def test_run_checkov_turns_a_crash_into_data(tmp_path: Path) -> None:
    class Exploding:
        def run(self, **_: Any) -> None:
            raise RuntimeError("parser exploded")

    (tmp_path / "main.tf").write_text('resource "aws_kms_key" "k" {}\n')
    run = run_checkov(tmp_path, ["CKV_AWS_7"], runner_factory=lambda plan: Exploding())
    assert run.results == [] and run.crash == "RuntimeError: parser exploded"


def test_run_checkov_reports_unparseable_files(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text('resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n')
    (tmp_path / "bad.tf").write_text('resource "aws_kms_key" "x" {\n')
    run = run_checkov(tmp_path, ["CKV_AWS_7"])
    assert [r.result for r in run.results] == ["pass"]
    assert [Path(p).name for p in run.parse_errors] == ["bad.tf"]


def test_run_checkov_reads_the_var_files_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "admin_cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n\n'
        'resource "aws_security_group" "admin" {\n  name = "admin"\n  ingress {\n    from_port   = 22\n'
        '    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n'
    )
    var_file = tmp_path.parent / f"{tmp_path.name}-open.tfvars"
    var_file.write_text('admin_cidr = "0.0.0.0/0"\n')
    closed = run_checkov(tmp_path, ["CKV_AWS_24"])
    opened = run_checkov(tmp_path, ["CKV_AWS_24"], var_files=[var_file])
    assert [r.result for r in closed.results] == ["pass"]
    assert [r.result for r in opened.results] == ["fail"]
