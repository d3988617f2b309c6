variable "cluster_name" {
  description = "EKS cluster name."
  type        = string
}

variable "kubernetes_version" {
  description = "Control plane version."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the control plane ENIs and the nodes."
  type        = list(string)
}

variable "node_security_group_id" {
  description = "Security group of the worker nodes."
  type        = string
}

variable "public_access_cidrs" {
  description = "Ranges allowed to reach the public API endpoint."
  type        = list(string)
}

variable "secrets_kms_key_arn" {
  description = "KMS key for envelope encryption of Kubernetes Secrets."
  type        = string
}

variable "log_kms_key_arn" {
  description = "KMS key of the control plane log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of control plane logs."
  type        = number
  default     = 400
}

variable "node_groups" {
  description = "Managed node groups keyed by workload class."
  type = map(object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  }))
  default = {
    trading = { instance_types = ["c5.2xlarge"], min_size = 3, max_size = 50, desired_size = 6 }
    orders  = { instance_types = ["r5.xlarge"], min_size = 2, max_size = 30, desired_size = 4 }
    general = { instance_types = ["m5n.large"], min_size = 2, max_size = 15, desired_size = 3 }
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
