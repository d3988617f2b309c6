"""A policy document written with `data "aws_iam_policy_document"` is the document AWS stores: created in moto
as the provider would send it, the runtime collector reads back the same document, and IAM-06 and TLS-06
give the same verdicts on both sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from collectors.snapshot import ResourceSnapshot
from collectors.terraform import load_terraform, read_terraform
from policies import Evaluation, evaluate, load_policies
from tests.collectors.aws.conftest import Account, unique

NOW = datetime(2026, 11, 21, tzinfo=UTC)
JUDGED = ("aws.iam.no_admin_policies", "aws.s3.bucket_deny_insecure_transport")

TERRAFORM = """
provider "aws" {{
  region = "us-east-1"
}}

data "aws_iam_policy_document" "base" {{
  statement {{
    sid       = "Logs"
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream"]
    resources = ["arn:aws:logs:us-east-1:{account}:log-group:/{p}/*"]
  }}
}}

data "aws_iam_policy_document" "reader" {{
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {{
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::{p}-data/*"]
    condition {{
      test     = "StringEquals"
      variable = "aws:PrincipalTag/team"
      values   = ["reports", "finance"]
    }}
  }}
}}

data "aws_iam_policy_document" "admin" {{
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({{
    Statement = [{{ Sid = "Logs", Effect = "Allow", Action = "*", Resource = "*" }}]
  }})]
}}

data "aws_iam_policy_document" "tls" {{
  statement {{
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::{p}-data", "arn:aws:s3:::{p}-data/*"]
    principals {{
      type        = "*"
      identifiers = ["*"]
    }}
    condition {{
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }}
  }}
}}

resource "aws_iam_policy" "reader" {{
  name   = "{p}-reader"
  policy = data.aws_iam_policy_document.reader.json
}}

resource "aws_iam_policy" "admin" {{
  name   = "{p}-admin"
  policy = data.aws_iam_policy_document.admin.json
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "ops" {{
  name               = "{p}-ops"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {{
    name   = "{p}-ops-admin"
    policy = data.aws_iam_policy_document.admin.json
  }}
  inline_policy {{
    name   = "{p}-ops-read"
    policy = data.aws_iam_policy_document.reader.minified_json
  }}
}}

resource "aws_s3_bucket" "data" {{
  bucket = "{p}-data"
}}

resource "aws_s3_bucket_policy" "data" {{
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.tls.json
}}
"""


def _key(snapshot: ResourceSnapshot) -> tuple[str, str | None]:
    return snapshot.type, snapshot.name


def _verdicts(
    snapshots: list[ResourceSnapshot], source: str
) -> dict[tuple[str, tuple[str, str | None]], str]:
    by_id = {s.id: s for s in snapshots}
    evaluation = Evaluation(by_id.values(), controls_for=lambda _: (), now=NOW, sources=(source,))
    return {
        (j.policy_id, _key(by_id[j.resource_id])): j.status.value
        for j in evaluate(load_policies().only(JUDGED), evaluation)
        if j.resource_id in by_id
    }


def test_terraform_and_runtime_read_the_same_documents_and_judge_them_alike(
    account: Account, tmp_path: Path
) -> None:
    prefix = unique("docs")
    (tmp_path / "main.tf").write_text(TERRAFORM.format(p=prefix, account=account.account_id))
    terraform = read_terraform(tmp_path, NOW)
    assert [str(p) for p in terraform.problems] == []
    documents = {
        _key(s): s.attributes.get("document", s.attributes.get("policy")) for s in terraform.snapshots
    }

    iam = account.client("iam")
    for name in ("reader", "admin"):  # what the provider sends: the data source's JSON
        document = json.dumps(documents[("aws.iam.policy", f"{prefix}-{name}")], indent=2)
        arn = iam.create_policy(PolicyName=f"{prefix}-{name}", PolicyDocument=document)["Policy"]["Arn"]
        iam.create_role(RoleName=f"{prefix}-{name}", AssumeRolePolicyDocument="{}")
        iam.attach_role_policy(RoleName=f"{prefix}-{name}", PolicyArn=arn)
    (role,) = [r for r in load_terraform(tmp_path).model.resources if r.address == "aws_iam_role.ops"]
    trust = role.values["assume_role_policy"]
    assert trust["Statement"] == [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}
    ]
    iam.create_role(RoleName=f"{prefix}-ops", AssumeRolePolicyDocument=json.dumps(trust))
    for name in ("ops-admin", "ops-read"):
        document = json.dumps(documents[("aws.iam.policy", f"{prefix}-{name}")])
        iam.put_role_policy(RoleName=f"{prefix}-ops", PolicyName=f"{prefix}-{name}", PolicyDocument=document)
    s3 = account.client("s3")
    s3.create_bucket(Bucket=f"{prefix}-data")
    s3.put_bucket_policy(
        Bucket=f"{prefix}-data", Policy=json.dumps(documents[("aws.s3.bucket", f"{prefix}-data")])
    )
    run = account.collect()
    assert run.report.status == "complete", run.report.failures
    runtime = [s for s in run.snapshots if _key(s) in documents]

    for snapshot in runtime:
        found = snapshot.attributes.get("document", snapshot.attributes.get("policy"))
        assert found == documents[_key(snapshot)], snapshot.id  # the one document form of both sources
    from_terraform = _verdicts(terraform.snapshots, "iac")
    from_runtime = _verdicts(runtime, "runtime")
    assert from_terraform == from_runtime
    assert from_runtime == {
        ("aws.iam.no_admin_policies", ("aws.iam.policy", f"{prefix}-reader")): "pass",
        ("aws.iam.no_admin_policies", ("aws.iam.policy", f"{prefix}-admin")): "fail",
        ("aws.iam.no_admin_policies", ("aws.iam.policy", f"{prefix}-ops-admin")): "fail",  # inline in a role
        ("aws.iam.no_admin_policies", ("aws.iam.policy", f"{prefix}-ops-read")): "pass",
        ("aws.s3.bucket_deny_insecure_transport", ("aws.s3.bucket", f"{prefix}-data")): "pass",
    }
