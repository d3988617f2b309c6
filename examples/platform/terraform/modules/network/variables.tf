variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region; availability zone names are built from it."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC address space."
  type        = string
}

variable "subnets" {
  description = "Subnets keyed by name, with CIDR, zone letter and tier (public, private or data)."
  type = map(object({
    cidr = string
    zone = string
    tier = string
  }))
}

variable "nat_zones" {
  description = "Zone letters that get their own NAT gateway."
  type        = list(string)
  default     = ["a", "b", "c"]
}

variable "log_kms_key_arn" {
  description = "KMS key encrypting the flow log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Retention of VPC flow logs in CloudWatch Logs."
  type        = number
  default     = 400
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
