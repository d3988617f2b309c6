variable "project" {
  description = "Short project name, used as the first part of every resource name."
  type        = string
  default     = "tradeplat"
}

variable "environment" {
  description = "Deployment stage."
  type        = string
  default     = "prod"
}

variable "aws_region" {
  description = "Primary AWS region."
  type        = string
  default     = "us-east-1"
}

variable "azure_location" {
  description = "Azure region of the warm-standby disaster recovery site."
  type        = string
  default     = "eastus2"
}

variable "azure_subscription_id" {
  description = "Subscription holding the DR site (placeholder)."
  type        = string
  default     = "00000000-0000-0000-0000-000000000000"
}

variable "azure_tenant_id" {
  description = "Entra ID tenant (placeholder)."
  type        = string
  default     = "11111111-1111-1111-1111-111111111111"
}

variable "default_tags" {
  description = "Tags every resource carries."
  type        = map(string)
  default = {
    owner       = "platform-engineering"
    cost_center = "cc-4410-trading"
    compliance  = "soc2,pci-dss,gdpr"
  }
}

variable "vpc_cidr" {
  description = "Address space of the primary VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "subnets" {
  description = "Subnets of the primary VPC, keyed by name: three tiers across three availability zones."
  type = map(object({
    cidr = string
    zone = string
    tier = string
  }))
  default = {
    public-a  = { cidr = "10.0.0.0/22", zone = "a", tier = "public" }
    public-b  = { cidr = "10.0.4.0/22", zone = "b", tier = "public" }
    public-c  = { cidr = "10.0.8.0/22", zone = "c", tier = "public" }
    private-a = { cidr = "10.0.32.0/19", zone = "a", tier = "private" }
    private-b = { cidr = "10.0.64.0/19", zone = "b", tier = "private" }
    private-c = { cidr = "10.0.96.0/19", zone = "c", tier = "private" }
    data-a    = { cidr = "10.0.128.0/22", zone = "a", tier = "data" }
    data-b    = { cidr = "10.0.132.0/22", zone = "b", tier = "data" }
    data-c    = { cidr = "10.0.136.0/22", zone = "c", tier = "data" }
  }
}

variable "admin_cidrs" {
  description = "Corporate VPN egress ranges allowed to reach the Kubernetes API servers."
  type        = list(string)
  default     = ["203.0.113.0/24"]
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of both sites, so that a failover runs the same manifests."
  type        = string
  default     = "1.31"
}

variable "aurora_instance_class" {
  description = "Instance class of the Aurora writer and reader."
  type        = string
  default     = "db.r6g.2xlarge"
}

variable "buckets" {
  description = <<-EOT
    Data buckets of the platform, keyed by their short name. data_category and extra_tags carry the
    classification the compliance policies read; lifecycle_prefix limits expiration to part of a bucket.
  EOT
  type = map(object({
    data_category              = string
    expiration_days            = number
    noncurrent_expiration_days = number
    lifecycle_prefix           = string
    object_lock                = bool
    extra_tags                 = map(string)
  }))
  default = {
    trade-data = {
      data_category              = "internal"
      expiration_days            = 2557
      noncurrent_expiration_days = 90
      lifecycle_prefix           = ""
      object_lock                = false
      extra_tags                 = {}
    }
    customer-documents = {
      data_category              = "personal"
      expiration_days            = 1825
      noncurrent_expiration_days = 30
      lifecycle_prefix           = ""
      object_lock                = false
      extra_tags                 = { ropa_id = "ROPA-003", transfer_mechanism = "SCC-2021" }
    }
    client-statements = {
      data_category              = "personal"
      expiration_days            = 2557
      noncurrent_expiration_days = 30
      lifecycle_prefix           = ""
      object_lock                = false
      extra_tags                 = { ropa_id = "ROPA-004" }
    }
    evidence = {
      data_category              = "evidence"
      expiration_days            = 2922
      noncurrent_expiration_days = 2922
      lifecycle_prefix           = ""
      object_lock                = true
      extra_tags                 = { purpose = "evidence" }
    }
    static-assets = {
      data_category              = "public"
      expiration_days            = 180
      noncurrent_expiration_days = 30
      lifecycle_prefix           = "releases/"
      object_lock                = false
      extra_tags                 = {}
    }
  }
}

variable "domain_name" {
  description = "Public hostname of the trading API."
  type        = string
  default     = "api.trade.example.com"
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone of domain_name (placeholder)."
  type        = string
  default     = "Z0000000000EXAMPLE"
}

variable "certificate_arn" {
  description = "ACM certificate for the public listener (placeholder)."
  type        = string
  default     = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"
}

variable "dr_ingress_ip" {
  description = "Public address of the Azure DR ingress, the failover target."
  type        = string
  default     = "198.51.100.20"
}

variable "rotation_lambda_arn" {
  description = "Secrets Manager rotation function for PostgreSQL users (placeholder)."
  type        = string
  default     = "arn:aws:lambda:us-east-1:111122223333:function:SecretsManagerRDSPostgreSQLRotationSingleUser"
}

variable "security_alert_email" {
  description = "Mailbox of the security on-call rota."
  type        = string
  default     = "security-oncall@example.com"
}

variable "guardduty_features" {
  description = "GuardDuty protection plans enabled on the detector."
  type        = list(string)
  default     = ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS"]
}

variable "aks_admin_group_object_ids" {
  description = "Entra ID groups with cluster admin on the DR AKS cluster (placeholders)."
  type        = list(string)
  default     = ["22222222-2222-2222-2222-222222222222"]
}

variable "azure_vnet_cidr" {
  description = "Address space of the DR virtual network."
  type        = string
  default     = "10.20.0.0/16"
}
