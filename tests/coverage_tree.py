"""A small Terraform root with mapped and unmapped resource types, for the not-judged report's tests."""

from __future__ import annotations

from pathlib import Path

HCL = """
provider "aws" {
  region = "eu-west-1"
}

variable "queues" {
  type    = set(string)
  default = ["orders", "fills"]
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-trade-exports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_lambda_function" "consumer" {
  for_each      = var.queues
  function_name = "consume-${each.key}"
  role          = "arn:aws:iam::123456789012:role/consumer"
  handler       = "consumer.handler"
  runtime       = "python3.12"
  filename      = "consumer.zip"
}

resource "aws_sns_topic" "fills" {
  name = "fills"
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""


def write_tree(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(HCL)
    return root
