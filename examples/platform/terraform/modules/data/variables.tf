variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "aws_region" {
  description = "Region of the keys and databases, used in key policies."
  type        = string
}

variable "data_subnet_ids" {
  description = "Subnets of the data tier."
  type        = list(string)
}

variable "aurora_security_group_id" {
  description = "Security group of the Aurora cluster."
  type        = string
}

variable "redis_security_group_id" {
  description = "Security group of the Redis replication groups."
  type        = string
}

variable "aurora_instance_class" {
  description = "Instance class of the Aurora instances."
  type        = string
}

variable "aurora_instance_count" {
  description = "Writer plus readers, spread over the data subnets' zones."
  type        = number
  default     = 2
}

variable "rotation_lambda_arn" {
  description = "Rotation function of the application database secret."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the database and cache log groups."
  type        = number
  default     = 400
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "aurora_tags" {
  description = "Tags of the trading database, including its data classification."
  type        = map(string)
}

variable "session_cache_tags" {
  description = "Tags of the session cache, including its data classification."
  type        = map(string)
}

variable "analytics_cache_tags" {
  description = "Tags of the analytics cache, including its data classification."
  type        = map(string)
}
