"""Coverage: what the readers could not read and what no policy reads, counted and worded one way."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.gate.run import checkov_judged
from assay.pipeline import observe
from assay.settings import Settings
from collectors import Unread
from collectors.terraform import read_terraform
from policies import Coverage, coverage, load_policies
from policies.checkov import CheckovResult, CheckovRun
from reports.console import not_judged_line, summary_line
from tests.coverage_tree import HCL, write_tree

MANIFESTS = """
apiVersion: v1
kind: Secret
metadata:
  name: orders-db
  namespace: orders
type: Opaque
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-config
  namespace: orders
data:
  LOG_LEVEL: info
---
apiVersion: v1
kind: Namespace
metadata:
  name: orders
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("coverage"))


def test_the_reader_exposes_unmapped_resources_with_file_and_line(tree: Path) -> None:
    read = read_terraform(tree)
    unmapped = {u.resource: u for u in read.unmapped}
    assert set(unmapped) == {
        'aws_lambda_function.consumer["fills"]',
        'aws_lambda_function.consumer["orders"]',
        "aws_sns_topic.fills",
    }  # the bucket's encryption and public access block resources are joined into it: judged
    topic = unmapped["aws_sns_topic.fills"]
    lines = HCL.splitlines()
    assert (topic.type, Path(str(topic.file)).name) == ("aws_sns_topic", "main.tf")
    assert topic.line is not None and lines[topic.line - 1].startswith('resource "aws_sns_topic" "fills"')


def test_coverage_counts_per_type_most_first(tree: Path) -> None:
    read = read_terraform(tree)
    covered = coverage(load_policies(), read.snapshots, read.unmapped, read.merged)
    assert (covered.judged, covered.joined) == (1, 2)
    assert covered.summary() == {"resources": 3, "types": {"aws_lambda_function": 2, "aws_sns_topic": 1}}
    assert not_judged_line(covered) == (
        "3 resources of 2 types not judged: aws_lambda_function \u00d72, aws_sns_topic \u00d71"
    )
    assert {d["reason"] for d in covered.details()} == {"no_snapshot_type"}
    assert Coverage.from_json(json.loads(json.dumps(covered.to_json()))) == covered  # the gate caches it


def test_manifests_report_kinds_not_read_and_snapshots_no_policy_reads(tmp_path: Path) -> None:
    (tmp_path / "orders.yaml").write_text(MANIFESTS)
    result = observe(tmp_path, Settings(home=tmp_path / "home", cluster_name="prod"), datetime.now(UTC))
    assert [(u.resource, u.type, u.line) for u in result.unread] == [
        ("k8s:prod/orders/ConfigMap/orders-config", "ConfigMap", 9)
    ]
    covered = result.coverage(load_policies())
    assert covered.judged == 1  # the namespace
    assert [(u.resource, u.type) for u in covered.unpoliced] == [
        ("k8s:prod/orders/Secret/orders-db", "k8s.secret")
    ]
    assert [d["reason"] for d in covered.details()] == ["no_snapshot_type", "no_policy"]


def test_plan_json_resources_without_a_mapper_are_not_judged(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {
            "root_module": {
                "resources": [
                    _planned("aws_s3_bucket.exports", "aws_s3_bucket", "exports", {"bucket": "acme-exports"}),
                    _planned("aws_lambda_function.worker[0]", "aws_lambda_function", "worker", {}, index=0),
                    _planned("aws_lambda_function.worker[1]", "aws_lambda_function", "worker", {}, index=1),
                ],
                "child_modules": [
                    {
                        "address": "module.alerts",
                        "resources": [
                            _planned(
                                "module.alerts.aws_sns_topic.this", "aws_sns_topic", "this", {"name": "a"}
                            )
                        ],
                    }
                ],
            }
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    read = read_terraform(path)
    covered = coverage(load_policies(), read.snapshots, read.unmapped, read.merged)
    assert covered.summary() == {"resources": 3, "types": {"aws_lambda_function": 2, "aws_sns_topic": 1}}
    assert {d["resource"] for d in covered.details()} >= {"module.alerts.aws_sns_topic.this"}
    assert all(d["line"] for d in covered.details())  # an indented plan has lines


def _planned(
    address: str, rtype: str, name: str, values: dict[str, object], index: int | None = None
) -> dict:  # type: ignore[type-arg]
    doc = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": values,
    }
    return {**doc, "index": index} if index is not None else doc


def test_what_checkov_judged_is_judged(tree: Path) -> None:
    read = read_terraform(tree)
    covered = coverage(load_policies(), read.snapshots, read.unmapped, read.merged)
    run = CheckovRun(
        [
            CheckovResult(
                "CKV_AWS_26", "SNS topic is encrypted", "aws_sns_topic.fills", "main.tf", 43, "fail"
            ),
            CheckovResult(
                "CKV_AWS_45", "Lambda env", "aws_lambda_function.consumer", "main.tf", 34, "skipped"
            ),
        ]
    )
    after = checkov_judged(covered, run)
    assert after.judged == covered.judged + 1
    assert after.types() == {"aws_lambda_function": 2}  # a skipped check judged nothing
    passed = CheckovResult("CKV_AWS_45", "Lambda env", "aws_lambda_function.consumer", "main.tf", 34, "pass")
    every = checkov_judged(after, CheckovRun([passed]))  # checkov names for_each instances without keys
    assert (every.judged, every.types()) == (covered.judged + 3, {})


def test_wording_is_singular_and_plural() -> None:
    one = Coverage(judged=1, unread=(Unread("aws_sns_topic.a", "aws_sns_topic", "main.tf", 3),))
    assert not_judged_line(one) == "1 resource of 1 type not judged: aws_sns_topic \u00d71"
    assert not_judged_line(Coverage(judged=5)) is None
    assert summary_line([], 1).startswith("1 resource judged by 0 policies")
    assert summary_line([], 5, joined=1).startswith(
        "5 resources judged by 0 policies (with 1 sibling resource"
    )
    assert "(with 2 sibling resources joined into it)" in summary_line([], 1, joined=2)


def test_many_types_show_the_most_common_then_an_ellipsis() -> None:
    counts = {"aws_subnet": 9, "aws_iam_role": 8, "aws_eip": 3, "aws_sns_topic": 3, "aws_nat_gateway": 2}
    counts |= {"aws_route53_record": 1, "aws_wafv2_web_acl": 1}
    unread = tuple(Unread(f"{t}.r{i}", t) for t, n in counts.items() for i in range(n))
    line = not_judged_line(Coverage(unread=unread))
    assert line == (
        "27 resources of 7 types not judged: aws_subnet \u00d79, aws_iam_role \u00d78, aws_eip \u00d73, "
        "aws_sns_topic \u00d73, aws_nat_gateway \u00d72, \u2026"
    )
