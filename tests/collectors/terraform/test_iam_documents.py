"""Policy documents from `data "aws_iam_policy_document"`, rendered as the AWS provider renders them, and
read from every other source (jsonencode, heredoc, file, templatefile) into the documents the mappers see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from collectors.terraform import load_terraform, read_terraform
from collectors.terraform.iam_documents import render
from collectors.terraform.unknown import Unknown

PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'


def _load(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Write a root module (and any module files under it); the documents by address, and the problems."""
    for name, text in {"providers.tf": PROVIDER, **files}.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    loaded = load_terraform(tmp_path)
    values = {r.address: r.values for r in loaded.model.resources}
    return values, [str(p) for p in loaded.problems]


def _policy(values: dict[str, Any], address: str, key: str = "policy") -> Any:
    return values[address][key]


APP = """
data "aws_iam_policy_document" "app" {
  statement {
    sid       = "ReadReports"
    actions   = ["s3:ListBucket", "s3:GetObject"]
    resources = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/&{aws:username}/*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.reports.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.us-east-1.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.us-west-2.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "app" {
  name   = "app-reports-read"
  policy = data.aws_iam_policy_document.app.json
}
"""


def test_statements_render_as_the_provider_writes_them(tmp_path: Path) -> None:
    values, problems = _load(tmp_path, {"main.tf": APP})
    assert problems == []
    assert _policy(values, "aws_iam_policy.app") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadReports",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],  # a set: sorted in reverse
                "Resource": [
                    "${aws_s3_bucket.reports.arn}/${aws:username}/*",  # &{...} is an IAM policy variable
                    "${aws_s3_bucket.reports.arn}",
                ],
            },
            {
                "Effect": "Allow",  # the provider's default
                "Action": "kms:Decrypt",  # one value: a string
                "Resource": "${aws_kms_key.reports.arn}",  # unknown before apply: kept as its reference
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": ["s3.us-east-1.amazonaws.com", "s3.us-west-2.amazonaws.com"]
                    }
                },
            },
        ],
    }


BUCKET_POLICY = """
resource "aws_s3_bucket" "site" {
  bucket = "acme-public-site"
}

data "aws_iam_policy_document" "site" {
  policy_id = "SitePolicy"
  statement {
    sid     = "PublicRead"
    actions = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    sid     = "Deploy"
    actions = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/deploy", "arn:aws:iam::111122223333:role/ci"]
    }
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    not_principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.site.minified_json
}
"""


def test_principals_blocks_become_the_principal_element(tmp_path: Path) -> None:
    values, _ = _load(tmp_path, {"main.tf": BUCKET_POLICY})
    document = _policy(values, "aws_s3_bucket_policy.site")
    assert document["Id"] == "SitePolicy"
    public, deploy = document["Statement"]
    assert public["Principal"] == "*"  # type "*" with identifiers ["*"]: everyone, as IAM writes it
    assert deploy["Principal"] == {
        "AWS": ["arn:aws:iam::111122223333:role/deploy", "arn:aws:iam::111122223333:role/ci"],
        "Service": "cloudfront.amazonaws.com",
    }
    assert deploy["NotPrincipal"] == {"AWS": "*"}  # type AWS stays a map: IAM treats the two differently


MERGE = """
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
  statement {
    sid       = "Read"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "app" {
  source_policy_documents = [
    data.aws_iam_policy_document.base.json,
    jsonencode({
      Version   = "2008-10-17"
      Statement = [{ Sid = "Extra", Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }]
    }),
  ]
  override_policy_documents = [
    jsonencode({
      Id = "Overridden"
      Statement = [
        { Sid = "Logs", Effect = "Allow", Action = ["logs:CreateLogStream"], Resource = "*" },
        { Effect = "Deny", Action = "s3:DeleteBucket", Resource = "*" },
      ]
    }),
  ]
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
  statement {
    actions   = ["sns:Publish"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "app"
  role   = "app"
  policy = data.aws_iam_policy_document.app.json
}
"""


def test_source_and_override_documents_merge_by_sid(tmp_path: Path) -> None:
    values, problems = _load(tmp_path, {"main.tf": MERGE})
    assert problems == []
    document = _policy(values, "aws_iam_role_policy.app")
    assert document["Version"] == "2012-10-17" and document["Id"] == "Overridden"
    assert [(s.get("Sid"), s["Action"]) for s in document["Statement"]] == [
        ("Logs", ["logs:CreateLogStream"]),  # the override replaces the source's statement in place
        ("Read", "s3:GetObject"),  # the document's own statement replaces the source's
        ("Extra", "sqs:SendMessage"),  # source statements come first, in order
        (None, "sns:Publish"),  # no Sid: appended
        (None, "s3:DeleteBucket"),  # an override statement without a Sid is appended too
    ]


def test_render_merges_without_terraform() -> None:
    documents = {"a": {"Statement": {"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"}}}
    rendered = render(
        {"source_policy_documents": ["a"], "statement": [{"sid": "B", "actions": ["ec2:*"]}]},
        documents.get,
    )
    assert rendered == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "B", "Effect": "Allow", "Action": "ec2:*"},
        ],
    }
    assert render({"source_policy_documents": ["missing"], "statement": []}, documents.get) is None


UNKNOWN_SOURCE = """
variable "base_policy" {}

data "aws_iam_policy_document" "app" {
  source_policy_documents = [SOURCE]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
"""


@pytest.mark.parametrize(
    "source",
    ["var.base_policy", "data.aws_iam_policy_document.elsewhere.json", 'file("${path.module}/absent.json")'],
)
def test_a_source_document_that_cannot_be_known_leaves_the_document_unknown(
    tmp_path: Path, source: str
) -> None:
    values, problems = _load(tmp_path, {"main.tf": UNKNOWN_SOURCE.replace("SOURCE", source)})
    assert isinstance(_policy(values, "aws_iam_policy.app"), str)  # still the unresolved reference
    assert ("absent.json, which does not exist" in " ".join(problems)) == ("absent" in source)


DYNAMIC = """
variable "buckets" {
  default = ["reports", "exports"]
}
variable "extra_actions" {
  type = list(string)
}

data "aws_iam_policy_document" "known" {
  dynamic "statement" {
    for_each = toset(var.buckets)
    content {
      sid       = "Read${title(statement.value)}"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::acme-${statement.value}/*"]
    }
  }
}

data "aws_iam_policy_document" "unknown" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = var.extra_actions
    content {
      actions   = [statement.value]
      resources = ["*"]
    }
  }
}

resource "aws_iam_policy" "known" {
  name   = "known"
  policy = data.aws_iam_policy_document.known.json
}

resource "aws_iam_policy" "unknown" {
  name   = "unknown"
  policy = data.aws_iam_policy_document.unknown.json
}
"""


def test_dynamic_statements_expand_and_an_unknown_for_each_leaves_the_document_unknown(
    tmp_path: Path,
) -> None:
    values, _ = _load(tmp_path, {"main.tf": DYNAMIC})
    known = _policy(values, "aws_iam_policy.known")["Statement"]
    assert sorted(s["Resource"] for s in known) == [
        "arn:aws:s3:::acme-exports/*",
        "arn:aws:s3:::acme-reports/*",
    ]
    unknown = _policy(values, "aws_iam_policy.unknown")  # one document with, one without those statements
    assert isinstance(unknown, Unknown) and "var.extra_actions" in unknown.reason
    (_, with_them), (_, without) = unknown.alternatives
    assert [s["Action"] for s in with_them["Statement"]] == ["s3:GetObject", "${var.extra_actions}"]
    assert [s["Action"] for s in without["Statement"]] == ["s3:GetObject"]


INSTANCES = """
locals {
  queues = { orders = "acme-orders", billing = "acme-billing" }
}

data "aws_iam_policy_document" "queue" {
  for_each = local.queues
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:us-east-1:111122223333:${each.value}"]
  }
}

resource "aws_iam_policy" "queue" {
  for_each = local.queues
  name     = "send-${each.key}"
  policy   = data.aws_iam_policy_document.queue[each.key].json
}

resource "aws_iam_policy" "billing_only" {
  name   = "billing-only"
  policy = data.aws_iam_policy_document.queue["billing"].json
}

data "aws_iam_policy_document" "replica" {
  count = 2
  statement {
    actions   = ["s3:ReplicateObject"]
    resources = ["arn:aws:s3:::acme-replica-${count.index}/*"]
  }
}

resource "aws_iam_policy" "replica" {
  count  = 2
  name   = "replica-${count.index}"
  policy = data.aws_iam_policy_document.replica[count.index].json
}

module "worker" {
  source = "./modules/worker"
  name   = "batch"
}
"""

WORKER = """
variable "name" {}

data "aws_iam_policy_document" "this" {
  statement {
    actions   = ["sqs:ReceiveMessage"]
    resources = ["arn:aws:sqs:us-east-1:111122223333:${var.name}"]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.name
  role   = var.name
  policy = data.aws_iam_policy_document.this.json
}
"""


def test_count_for_each_and_module_instances_of_data_documents(tmp_path: Path) -> None:
    values, problems = _load(tmp_path, {"main.tf": INSTANCES, "modules/worker/main.tf": WORKER})
    assert problems == []

    def resource(address: str) -> Any:
        return _policy(values, address)["Statement"][0]["Resource"]

    assert resource('aws_iam_policy.queue["orders"]') == "arn:aws:sqs:us-east-1:111122223333:acme-orders"
    assert resource('aws_iam_policy.queue["billing"]') == "arn:aws:sqs:us-east-1:111122223333:acme-billing"
    assert resource("aws_iam_policy.billing_only") == "arn:aws:sqs:us-east-1:111122223333:acme-billing"
    assert resource("aws_iam_policy.replica[1]") == "arn:aws:s3:::acme-replica-1/*"
    assert resource("module.worker.aws_iam_role_policy.this") == "arn:aws:sqs:us-east-1:111122223333:batch"


FILES = """
resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("${path.module}/policies/read.json")
}

resource "aws_iam_policy" "from_root" {
  name   = "from-root"
  policy = file("policies/read.json")
}

resource "aws_iam_policy" "from_template" {
  name   = "from-template"
  policy = templatefile("${path.module}/policies/bucket.json.tpl", { bucket = "acme-reports" })
}

resource "aws_iam_policy" "missing" {
  name   = "missing"
  policy = file("${path.module}/policies/missing.json")
}

resource "aws_iam_policy" "not_json" {
  name   = "not-json"
  policy = templatefile("${path.module}/policies/loop.json.tpl", { actions = ["s3:GetObject"] })
}
"""

READ_JSON = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'
)
BUCKET_TPL = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::${bucket}/${prefix}*"}
  ]
}
"""
LOOP_TPL = '{"Statement": [%{ for a in actions }{"Effect": "Allow", "Action": "${a}"}%{ endfor }]}'


def test_documents_from_file_and_templatefile(tmp_path: Path) -> None:
    files = {
        "main.tf": FILES,
        "policies/read.json": READ_JSON,
        "policies/bucket.json.tpl": BUCKET_TPL,
        "policies/loop.json.tpl": LOOP_TPL,
    }
    values, problems = _load(tmp_path, files)
    read = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
    assert _policy(values, "aws_iam_policy.from_file") == read
    assert _policy(values, "aws_iam_policy.from_root") == read  # relative to the root module, as Terraform
    template = _policy(values, "aws_iam_policy.from_template")["Statement"][0]
    assert template["Resource"] == "arn:aws:s3:::acme-reports/${prefix}*"  # an unset variable stays unknown
    missing = [p for p in problems if "aws_iam_policy.missing" in p]
    assert len(missing) == 1 and "policies/missing.json, which does not exist" in missing[0]
    assert "main.tf" in missing[0]
    assert any("aws_iam_policy.not_json" in p and "not a literal JSON document" in p for p in problems)


def test_files_of_a_module_are_read_from_the_module_directory(tmp_path: Path) -> None:
    module = 'resource "aws_iam_policy" "this" {\n  name = "m"\n  policy = file("${path.module}/p.json")\n}\n'
    root = 'module "iam" {\n  source = "./modules/iam"\n}\n'
    values, problems = _load(
        tmp_path, {"main.tf": root, "modules/iam/main.tf": module, "modules/iam/p.json": READ_JSON}
    )
    assert problems == []
    assert _policy(values, "module.iam.aws_iam_policy.this")["Statement"][0]["Action"] == "s3:GetObject"


HEREDOC = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_iam_policy" "heredoc" {
  name   = "heredoc"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject"],
          "Resource": "${aws_s3_bucket.reports.arn}/*"
        }
      ]
    }
  EOT
}

resource "aws_iam_policy" "encoded" {
  name = "encoded"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject"], Resource = "${aws_s3_bucket.reports.arn}/*" }]
  })
}
"""


def test_heredoc_and_jsonencode_keep_their_reference_leaves(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER + HEREDOC)
    read = read_terraform(tmp_path)
    assert read.problems == []
    documents = {s.id: s.attributes["document"] for s in read.snapshots if s.type == "aws.iam.policy"}
    heredoc = documents["aws_iam_policy.heredoc"]["Statement"][0]
    encoded = documents["aws_iam_policy.encoded"]["Statement"][0]
    assert heredoc["Action"] == ["s3:GetObject"] and "aws_s3_bucket.reports" in heredoc["Resource"]
    assert encoded["Action"] == ["s3:PutObject"] and "aws_s3_bucket.reports" in encoded["Resource"]


ROLE = """
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "orders-task"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "queue"
    policy = file("${path.module}/queue.json")
  }
}

resource "aws_iam_role" "no_inline" {
  name               = "no-inline"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {}
}
"""


def test_a_role_trust_policy_and_its_inline_policies(tmp_path: Path) -> None:
    values, problems = _load(tmp_path, {"main.tf": ROLE, "queue.json": READ_JSON})
    assert problems == []
    trust = _policy(values, "aws_iam_role.task", "assume_role_policy")
    assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    inline = values["aws_iam_role.task/inline-policy/queue"]
    assert inline["name"] == "queue" and inline["policy"]["Statement"][0]["Action"] == "s3:GetObject"
    assert not [a for a in values if a.startswith("aws_iam_role.no_inline/")]  # an empty block removes them
    snapshots = read_terraform(tmp_path).snapshots
    (policy,) = [s for s in snapshots if s.type == "aws.iam.policy"]
    assert policy.id == "aws_iam_role.task/inline-policy/queue" and policy.attributes["kind"] == "inline"
    assert policy.location is not None and policy.location.file.endswith("main.tf")


def test_a_document_file_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "latin1.json").write_bytes(b'{"Version": "2012-10-17", "Id": "caf\xe9"}')
    main = 'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/policies/latin1.json")\n}\n'
    _, problems = _load(tmp_path, {"main.tf": main})
    (problem,) = [p for p in problems if "aws_iam_policy.p" in p]
    assert "which cannot be read" in problem and "utf-8" in problem and "does not exist" not in problem
