# Nightly exports of the reporting service (aggregated P&L and volume reports for finance).
# Created by the reporting team from an older template that predates the KMS standard.

resource "aws_s3_bucket" "reporting_exports" {
  bucket = "${var.name_prefix}-reporting-exports"
  tags   = merge(var.tags, { data_category = "internal" })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reporting_exports" {
  bucket = aws_s3_bucket.reporting_exports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "reporting_exports" {
  bucket                  = aws_s3_bucket.reporting_exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "reporting_exports" {
  bucket = aws_s3_bucket.reporting_exports.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "reporting_exports" {
  bucket        = aws_s3_bucket.reporting_exports.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "reporting-exports/"
}

resource "aws_s3_bucket_lifecycle_configuration" "reporting_exports" {
  bucket = aws_s3_bucket.reporting_exports.id

  rule {
    id     = "expire-exports"
    status = "Enabled"

    filter {}

    expiration {
      days = 90
    }

    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.reporting_exports]
}

resource "aws_s3_bucket_policy" "reporting_exports" {
  bucket = aws_s3_bucket.reporting_exports.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.reporting_exports.arn, "${aws_s3_bucket.reporting_exports.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.reporting_exports]
}
