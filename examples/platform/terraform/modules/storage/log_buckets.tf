# Log sinks: the audit bucket (CloudTrail, AWS Config) and the S3 server access log bucket.

locals {
  account_id = data.aws_caller_identity.current.account_id
  trail_arn  = "arn:aws:cloudtrail:${var.aws_region}:${local.account_id}:trail/${var.trail_name}"
}

resource "aws_s3_bucket" "audit_logs" {
  bucket              = var.audit_bucket_name
  object_lock_enabled = true
  tags                = merge(var.tags, { data_category = "logs" })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audit_logs" {
  bucket = aws_s3_bucket.audit_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "audit_logs" {
  bucket                  = aws_s3_bucket.audit_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "audit_logs" {
  bucket = aws_s3_bucket.audit_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "audit_logs" {
  bucket        = aws_s3_bucket.audit_logs.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "audit-logs/"
}

resource "aws_s3_bucket_object_lock_configuration" "audit_logs" {
  bucket = aws_s3_bucket.audit_logs.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 400
    }
  }

  depends_on = [aws_s3_bucket_versioning.audit_logs]
}

resource "aws_s3_bucket_lifecycle_configuration" "audit_logs" {
  bucket = aws_s3_bucket.audit_logs.id

  rule {
    id     = "archive-then-expire"
    status = "Enabled"

    filter {}

    transition {
      days          = 90
      storage_class = "GLACIER_IR"
    }

    expiration {
      days = 2557
    }
  }

  depends_on = [aws_s3_bucket_versioning.audit_logs]
}

resource "aws_s3_bucket_policy" "audit_logs" {
  bucket = aws_s3_bucket.audit_logs.id

  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "CloudTrailAclCheck",
          "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": "s3:GetBucketAcl",
          "Resource": "${aws_s3_bucket.audit_logs.arn}",
          "Condition": {"StringEquals": {"aws:SourceArn": "${local.trail_arn}"}}
        },
        {
          "Sid": "CloudTrailWrite",
          "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": "s3:PutObject",
          "Resource": "${aws_s3_bucket.audit_logs.arn}/cloudtrail/AWSLogs/${local.account_id}/*",
          "Condition": {
            "StringEquals": {
              "s3:x-amz-acl": "bucket-owner-full-control",
              "aws:SourceArn": "${local.trail_arn}"
            }
          }
        },
        {
          "Sid": "ConfigAclCheck",
          "Effect": "Allow",
          "Principal": {"Service": "config.amazonaws.com"},
          "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
          "Resource": "${aws_s3_bucket.audit_logs.arn}",
          "Condition": {"StringEquals": {"aws:SourceAccount": "${local.account_id}"}}
        },
        {
          "Sid": "ConfigWrite",
          "Effect": "Allow",
          "Principal": {"Service": "config.amazonaws.com"},
          "Action": "s3:PutObject",
          "Resource": "${aws_s3_bucket.audit_logs.arn}/config/AWSLogs/${local.account_id}/Config/*",
          "Condition": {
            "StringEquals": {
              "s3:x-amz-acl": "bucket-owner-full-control",
              "aws:SourceAccount": "${local.account_id}"
            }
          }
        },
        {
          "Sid": "DenyInsecureTransport",
          "Effect": "Deny",
          "Principal": "*",
          "Action": "s3:*",
          "Resource": ["${aws_s3_bucket.audit_logs.arn}", "${aws_s3_bucket.audit_logs.arn}/*"],
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        }
      ]
    }
  POLICY

  depends_on = [aws_s3_bucket_public_access_block.audit_logs]
}

# Sink of S3 server access logs. It does not log itself; Object Lock default retention is not allowed here.
resource "aws_s3_bucket" "access_logs" {
  bucket = "${var.name_prefix}-access-logs"
  tags   = merge(var.tags, { data_category = "logs" })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire"
    status = "Enabled"

    filter {}

    expiration {
      days = 400
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }

  depends_on = [aws_s3_bucket_versioning.access_logs]
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "S3ServerAccessLogDelivery"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.access_logs.arn}/*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
