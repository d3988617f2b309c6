"""IAM-06 and TLS-06 on documents written with `data "aws_iam_policy_document"`, from HCL and from a plan."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from collectors.snapshot import ResourceSnapshot
from collectors.terraform import read_terraform
from policies import Evaluation, load_policies
from policies.engine import evaluate_one

NOW = datetime(2026, 11, 21, tzinfo=UTC)
POLICIES = load_policies()
NO_ADMIN = "aws.iam.no_admin_policies"  # IAM-06
DENY_HTTP = "aws.s3.bucket_deny_insecure_transport"  # TLS-06

IAM = """
provider "aws" {
  region = "us-east-1"
}

data "aws_ssm_parameter" "extra_actions" {
  name = "/platform/iam/extra-actions"
}

data "aws_iam_policy_document" "least_privilege" {
  statement {
    sid       = "ReadOrders"
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
  }
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override_to_admin" {
  source_policy_documents = [data.aws_iam_policy_document.least_privilege.json]
  override_policy_documents = [jsonencode({
    Statement = [{ Sid = "ReadOrders", Effect = "Allow", Action = "*", Resource = "*" }]
  })]
}

data "aws_iam_policy_document" "from_parameter" {
  statement {
    actions   = split(",", data.aws_ssm_parameter.extra_actions.insecure_value)
    resources = ["*"]
  }
}

resource "aws_iam_policy" "least_privilege" {
  name   = "orders-read"
  policy = data.aws_iam_policy_document.least_privilege.json
}

resource "aws_iam_role_policy" "admin" {
  name   = "break-glass"
  role   = "ops"
  policy = data.aws_iam_policy_document.admin.json
}

resource "aws_iam_group_policy" "override_to_admin" {
  name   = "support"
  group  = "support"
  policy = data.aws_iam_policy_document.override_to_admin.json
}

resource "aws_iam_user_policy" "from_parameter" {
  name   = "deployer"
  user   = "deployer"
  policy = data.aws_iam_policy_document.from_parameter.json
}
"""


def _snapshots(tmp_path: Path, text: str) -> list[ResourceSnapshot]:
    (tmp_path / "main.tf").write_text(text)
    read = read_terraform(tmp_path, NOW)
    assert [str(p) for p in read.problems] == []
    return read.snapshots


def _verdicts(snapshots: list[ResourceSnapshot], policy_id: str, source: str = "iac") -> dict[str, Any]:
    spec = POLICIES.get(policy_id)
    assert spec is not None
    evaluation = Evaluation(snapshots, controls_for=lambda _: (), now=NOW, sources=(source,))
    return {v.resource_id: (v.status.value, v.message) for v in evaluate_one(spec, evaluation, None)}


def test_iam06_judges_documents_from_data_sources(tmp_path: Path) -> None:
    verdicts = _verdicts(_snapshots(tmp_path, IAM), NO_ADMIN)
    assert verdicts["aws_iam_policy.least_privilege"][0] == "pass"  # the false fail this fixes
    assert verdicts["aws_iam_role_policy.admin"][0] == "fail"
    assert verdicts["aws_iam_group_policy.override_to_admin"][0] == "fail"  # the override replaces by Sid
    status, message = verdicts["aws_iam_user_policy.from_parameter"]
    assert status == "unknown" and "data.aws_ssm_parameter.extra_actions" in message


@pytest.mark.parametrize(("actions", "expected"), [("*", "unknown"), ("dynamodb:Scan", "pass")])
def test_statements_of_an_unknown_dynamic_are_judged_with_and_without_them(
    tmp_path: Path, actions: str, expected: str
) -> None:
    text = IAM.replace(
        '  statement {\n    sid       = "ReadOrders"',
        '  dynamic "statement" {\n    for_each = data.aws_ssm_parameter.extra_actions.insecure_value\n'
        f'    content {{\n      actions   = ["{actions}"]\n      resources = ["*"]\n    }}\n  }}\n'
        '  statement {\n    sid       = "ReadOrders"',
        1,
    )
    (tmp_path / "main.tf").write_text(text)
    read = read_terraform(tmp_path, NOW)
    status, message = _verdicts(read.snapshots, NO_ADMIN)["aws_iam_policy.least_privilege"]
    assert status == expected, message
    if expected == "unknown":
        assert "data.aws_ssm_parameter.extra_actions" in message


BUCKETS = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "evidence" {
  bucket = "acme-evidence"
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
}

data "aws_iam_policy_document" "tls_only" {
  for_each = {
    evidence = { principal = "*", when_secure = "false" }
    exports  = { principal = "AWS", when_secure = "true" }
  }
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      "arn:aws:s3:::acme-${each.key}",
      "arn:aws:s3:::acme-${each.key}/*",
    ]
    principals {
      type        = each.value.principal
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = [each.value.when_secure]
    }
  }
}

resource "aws_s3_bucket_policy" "evidence" {
  bucket = aws_s3_bucket.evidence.id
  policy = data.aws_iam_policy_document.tls_only["evidence"].json
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.tls_only["exports"].json
}
"""


def test_tls06_from_a_condition_block(tmp_path: Path) -> None:
    snapshots = _snapshots(tmp_path, BUCKETS)
    evidence = next(s for s in snapshots if s.id == "aws_s3_bucket.evidence")
    statement = evidence.attributes["policy"]["Statement"][0]
    assert statement["Principal"] == "*"  # public: everyone, as the provider writes type "*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    verdicts = _verdicts(snapshots, DENY_HTTP)
    assert verdicts["aws_s3_bucket.evidence"][0] == "pass"
    assert verdicts["aws_s3_bucket.exports"][0] == "fail"  # denies only when the transport *is* secure


def _plan(tmp_path: Path, resource: str | None = "arn:aws:s3:::reports/*") -> Path:
    """A saved plan in which the document's data source is read at apply: the policy itself is unknown.
    `resource` None: the statement's resource is known only after apply too."""
    provider = "registry.terraform.io/hashicorp/aws"
    statement = {
        "actions": ["s3:GetObject"],
        "condition": [],
        "effect": "Allow",
        "not_actions": [],
        "not_principals": [],
        "not_resources": [],
        "principals": [],
        "resources": [resource],
        "sid": "",
    }
    data = {
        "address": "data.aws_iam_policy_document.reports",
        "mode": "data",
        "type": "aws_iam_policy_document",
    }
    data |= {
        "name": "reports",
        "provider_name": provider,
        "values": {"statement": [statement], "version": None},
    }
    policy = {
        "address": "aws_iam_policy.reports",
        "mode": "managed",
        "type": "aws_iam_policy",
        "name": "reports",
    }
    policy |= {"provider_name": provider, "values": {"name": "reports-read", "path": "/"}}
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [policy, data]}},
        "resource_changes": [
            {**policy, "change": {"actions": ["create"], "after_unknown": {"policy": True, "arn": True}}},
            {
                **data,
                "change": {
                    "actions": ["read"],
                    "after_unknown": {"json": True, "statement": [{"resources": [resource is None]}]},
                },
                "action_reason": "read_because_dependency_pending",
            },
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_iam_policy.reports",
                        "expressions": {
                            "name": {"constant_value": "reports-read"},
                            "policy": {
                                "references": [
                                    "data.aws_iam_policy_document.reports.json",
                                    "data.aws_iam_policy_document.reports",
                                ]
                            },
                        },
                    },
                    {
                        "address": "data.aws_iam_policy_document.reports",
                        "expressions": {"statement": [{"actions": {"constant_value": ["s3:GetObject"]}}]},
                    },
                ]
            }
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    return path


def test_a_plan_renders_a_data_document_read_only_at_apply(tmp_path: Path) -> None:
    read = read_terraform(_plan(tmp_path), NOW)
    (policy,) = [s for s in read.snapshots if s.type == "aws.iam.policy"]
    assert policy.attributes["document"] == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}],
    }
    assert _verdicts(read.snapshots, NO_ADMIN)["aws_iam_policy.reports"][0] == "pass"


def test_a_plan_document_keeps_a_value_known_after_apply(tmp_path: Path) -> None:
    read = read_terraform(_plan(tmp_path, resource=None), NOW)
    (policy,) = [s for s in read.snapshots if s.type == "aws.iam.policy"]
    assert policy.attributes["document"]["Statement"][0]["Resource"] == "(known after apply)"
    assert [u.path for u in policy.unknown] == ["document.Statement[0].Resource"]
    status, message = _verdicts(read.snapshots, NO_ADMIN)["aws_iam_policy.reports"]
    assert status == "unknown" and "after apply" in message


def test_a_plan_uses_the_json_of_a_data_document_read_at_plan(tmp_path: Path) -> None:
    path = _plan(tmp_path)
    plan = json.loads(path.read_text())
    admin = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    )
    data = plan["planned_values"]["root_module"]["resources"].pop(1)
    plan["prior_state"] = {"values": {"root_module": {"resources": [{**data, "values": {"json": admin}}]}}}
    plan["resource_changes"].pop(1)
    path.write_text(json.dumps(plan))
    read = read_terraform(path, NOW)
    assert _verdicts(read.snapshots, NO_ADMIN)["aws_iam_policy.reports"][0] == "fail"
