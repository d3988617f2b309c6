variable "name_prefix" {
  description = "Prefix of every bucket name."
  type        = string
}

variable "buckets" {
  description = "Data buckets keyed by short name (see the root variable of the same name)."
  type = map(object({
    data_category              = string
    expiration_days            = number
    noncurrent_expiration_days = number
    lifecycle_prefix           = string
    object_lock                = bool
    extra_tags                 = map(string)
  }))
}

variable "kms_key_arn" {
  description = "Customer managed key of S3 default encryption."
  type        = string
}

variable "audit_bucket_name" {
  description = "Name of the bucket receiving CloudTrail and AWS Config deliveries."
  type        = string
}

variable "trail_name" {
  description = "CloudTrail trail allowed to write into the audit bucket."
  type        = string
}

variable "aws_region" {
  description = "Region of the trail."
  type        = string
}

variable "evidence_retention_years" {
  description = "Object Lock retention of compliance evidence (SEC 17a-4(f), PCI DSS 10.5.1)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags for every bucket."
  type        = map(string)
  default     = {}
}
