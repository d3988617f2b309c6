# Audit and detection: CloudTrail, log groups, GuardDuty, AWS Config, security alerts, account-wide
# guardrails and IAM policies.

# --- CloudTrail -------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "cloudtrail" {
  name              = "/aws/cloudtrail/${local.trail_name}"
  retention_in_days = 400
  kms_key_id        = module.data.logs_kms_key_arn
  tags              = merge(local.tags, { data_category = "logs" })
}

resource "aws_iam_role" "cloudtrail_logs" {
  name = "${local.name_prefix}-cloudtrail-logs"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy" "cloudtrail_logs" {
  name = "deliver-to-cloudwatch-logs"
  role = aws_iam_role.cloudtrail_logs.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
    }]
  })
}

resource "aws_cloudtrail" "main" {
  name                          = local.trail_name
  s3_bucket_name                = local.audit_bucket_name
  s3_key_prefix                 = "cloudtrail"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = module.data.logs_kms_key_arn
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail_logs.arn

  # Object-level access to the buckets holding personal data, evidence and trade records.
  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type = "AWS::S3::Object"
      values = [
        "arn:aws:s3:::${local.name_prefix}-customer-documents/",
        "arn:aws:s3:::${local.name_prefix}-client-statements/",
        "arn:aws:s3:::${local.name_prefix}-evidence/",
        "arn:aws:s3:::${local.name_prefix}-trade-data/",
      ]
    }
  }

  tags = local.tags

  depends_on = [module.storage]
}

# --- Application log groups ----------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "service" {
  for_each = toset(["trading-engine", "order-management", "risk-engine", "market-data"])

  name              = "/platform/${local.name_prefix}/${each.key}"
  retention_in_days = 400
  kms_key_id        = module.data.logs_kms_key_arn
  tags              = merge(local.tags, { data_category = "logs", service = each.key })
}

resource "aws_cloudwatch_log_group" "reporting" {
  name              = "/platform/${local.name_prefix}/reporting"
  retention_in_days = 30
  kms_key_id        = module.data.logs_kms_key_arn
  tags              = merge(local.tags, { data_category = "logs", service = "reporting" })
}

# --- GuardDuty -----------------------------------------------------------------------------------------

resource "aws_guardduty_detector" "main" {
  enable                       = true
  finding_publishing_frequency = "FIFTEEN_MINUTES"
  tags                         = local.tags
}

resource "aws_guardduty_detector_feature" "this" {
  for_each = toset(var.guardduty_features)

  detector_id = aws_guardduty_detector.main.id
  name        = each.key
  status      = "ENABLED"
}

resource "aws_guardduty_detector_feature" "runtime_monitoring" {
  detector_id = aws_guardduty_detector.main.id
  name        = "RUNTIME_MONITORING"
  status      = "ENABLED"

  additional_configuration {
    name   = "EKS_ADDON_MANAGEMENT"
    status = "ENABLED"
  }
}

# --- AWS Config ----------------------------------------------------------------------------------------

resource "aws_iam_role" "config" {
  name = "${local.name_prefix}-config-recorder"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "config" {
  role       = aws_iam_role.config.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
}

resource "aws_config_configuration_recorder" "main" {
  name     = "${local.name_prefix}-recorder"
  role_arn = aws_iam_role.config.arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "main" {
  name           = "${local.name_prefix}-delivery"
  s3_bucket_name = local.audit_bucket_name
  s3_key_prefix  = "config"

  snapshot_delivery_properties {
    delivery_frequency = "TwentyFour_Hours"
  }

  depends_on = [aws_config_configuration_recorder.main, module.storage]
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.main]
}

# --- Security alerts -----------------------------------------------------------------------------------

resource "aws_sns_topic" "security_alerts" {
  name              = "${local.name_prefix}-security-alerts"
  kms_master_key_id = module.data.logs_kms_key_arn
  tags              = local.tags
}

resource "aws_sns_topic_policy" "security_alerts" {
  arn = aws_sns_topic.security_alerts.arn

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgePublish"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.security_alerts.arn
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_sns_topic_subscription" "security_oncall" {
  topic_arn = aws_sns_topic.security_alerts.arn
  protocol  = "email"
  endpoint  = var.security_alert_email
}

resource "aws_cloudwatch_event_rule" "security_alert" {
  for_each = local.security_alert_patterns

  name          = "${local.name_prefix}-${each.key}"
  description   = "Pages the security on-call rota: ${each.key}"
  event_pattern = each.value
  state         = "ENABLED"
  tags          = local.tags
}

resource "aws_cloudwatch_event_target" "security_alert" {
  for_each = local.security_alert_patterns

  rule      = aws_cloudwatch_event_rule.security_alert[each.key].name
  target_id = "security-alerts-topic"
  arn       = aws_sns_topic.security_alerts.arn
}

# --- Account-wide guardrails ---------------------------------------------------------------------------

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_ebs_encryption_by_default" "account" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "account" {
  key_arn = module.data.data_kms_key_arn
}

resource "aws_iam_account_password_policy" "account" {
  minimum_password_length        = 14
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  allow_users_to_change_password = true
  max_password_age               = 90
  password_reuse_prevention      = 24
}

# --- IAM policies --------------------------------------------------------------------------------------

resource "aws_iam_policy" "auditor_read_only" {
  name        = "${local.name_prefix}-auditor-read-only"
  description = "External auditors: read the audit trail and the configuration history"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "ReadAuditTrail"
        Effect = "Allow"
        Action = [
          "cloudtrail:LookupEvents",
          "cloudtrail:GetTrailStatus",
          "cloudtrail:DescribeTrails",
          "config:Describe*",
          "config:Get*",
          "config:List*",
          "guardduty:Get*",
          "guardduty:List*",
        ]
        Resource = "*"
      },
      {
        Sid      = "ReadEvidenceBucket"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::${local.name_prefix}-evidence", "arn:aws:s3:::${local.name_prefix}-evidence/*"]
      },
    ]
  })

  tags = local.tags
}

resource "aws_iam_policy" "ci_deployer" {
  name        = "${local.name_prefix}-ci-deployer"
  description = "CI pipeline: push images and reach the EKS API"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DescribeCluster"
        Effect   = "Allow"
        Action   = ["eks:DescribeCluster"]
        Resource = module.eks.cluster_arn
      },
      {
        Sid    = "PushImages"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:CompleteLayerUpload",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
        Resource = "arn:aws:ecr:${var.aws_region}:${data.aws_caller_identity.current.account_id}:repository/trading/*"
      },
      {
        Sid      = "EcrLogin"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
    ]
  })

  tags = local.tags
}

# Granted for the 2024 schema migration of the trading database and never withdrawn.
resource "aws_iam_policy" "data_migration" {
  name        = "${local.name_prefix}-data-migration"
  description = "Data migration tooling"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role" "data_migration" {
  name = "${local.name_prefix}-data-migration"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "data_migration" {
  role       = aws_iam_role.data_migration.name
  policy_arn = aws_iam_policy.data_migration.arn
}

# Break-glass: AWS managed AdministratorAccess on a role that needs MFA; every use pages on-call through the
# root-account and IAM alert rules and is reviewed afterwards.
resource "aws_iam_role" "break_glass" {
  name                 = "${local.name_prefix}-break-glass"
  max_session_duration = 3600

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "break_glass" {
  role       = aws_iam_role.break_glass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
