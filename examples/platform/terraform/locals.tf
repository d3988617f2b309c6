locals {
  name_prefix = "${var.project}-${var.environment}"

  tags = merge(var.default_tags, {
    project     = var.project
    environment = var.environment
    managed_by  = "terraform"
    # The accountable engineer: a person's identifier, pseudonymised before anything reaches evidence.
    owner = "raj.patel@tradeplat.example"
  })

  # Classification of the data stores that live outside the buckets map. Personal data on this platform is
  # processed in the United States (us-east-1, eastus2): its Chapter V basis is recorded in transfer_mechanism.
  classification = {
    trading_db = {
      data_category      = "personal,cardholder"
      ropa_id            = "ROPA-001"
      transfer_mechanism = "SCC-2021"
    }
    session_cache = {
      data_category      = "personal"
      ropa_id            = "ROPA-002"
      transfer_mechanism = "SCC-2021"
    }
    analytics_cache = {
      data_category = "internal"
    }
    dr_data = {
      data_category      = "personal,cardholder"
      ropa_id            = "ROPA-001"
      transfer_mechanism = "SCC-2021"
    }
  }

  audit_bucket_name = "${local.name_prefix}-audit-logs"
  trail_name        = "${local.name_prefix}-trail"
  eks_cluster_name  = "${local.name_prefix}-eks"
  aks_cluster_name  = "${local.name_prefix}-aks-dr"

  # EventBridge patterns that page the security on-call rota (PCI DSS 10.7, SOC 2 CC7.2).
  security_alert_patterns = {
    cloudtrail-tampering = jsonencode({
      source        = ["aws.cloudtrail"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["cloudtrail.amazonaws.com"]
        eventName   = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]
      }
    })
    security-group-changes = jsonencode({
      source        = ["aws.ec2"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["ec2.amazonaws.com"]
        eventName = [
          "AuthorizeSecurityGroupIngress",
          "AuthorizeSecurityGroupEgress",
          "RevokeSecurityGroupIngress",
          "RevokeSecurityGroupEgress",
          "CreateSecurityGroup",
          "DeleteSecurityGroup",
        ]
      }
    })
    iam-policy-changes = jsonencode({
      source        = ["aws.iam"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["iam.amazonaws.com"]
        eventName = [
          "PutUserPolicy",
          "PutRolePolicy",
          "PutGroupPolicy",
          "AttachUserPolicy",
          "AttachRolePolicy",
          "AttachGroupPolicy",
          "CreatePolicy",
          "CreatePolicyVersion",
          "DeletePolicy",
          "DeletePolicyVersion",
        ]
      }
    })
    root-account-usage = jsonencode({
      "detail-type" = ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"]
      detail = {
        userIdentity = { type = ["Root"] }
      }
    })
    guardduty-high-findings = jsonencode({
      source        = ["aws.guardduty"]
      "detail-type" = ["GuardDuty Finding"]
      detail = {
        severity = [{ numeric = [">=", 7] }]
      }
    })
  }
}
