output "data_kms_key_arn" {
  description = "Key of the databases, caches and secrets."
  value       = aws_kms_key.data.arn
}

output "storage_kms_key_arn" {
  description = "Key of the S3 buckets."
  value       = aws_kms_key.storage.arn
}

output "logs_kms_key_arn" {
  description = "Key of CloudTrail, CloudWatch Logs and the alert topic."
  value       = aws_kms_key.logs.arn
}

output "eks_kms_key_arn" {
  description = "Key of the EKS secrets envelope encryption."
  value       = aws_kms_key.eks.arn
}

output "aurora_cluster_arn" {
  description = "Trading database cluster, selected by the backup plan."
  value       = aws_rds_cluster.trading.arn
}

output "aurora_endpoint" {
  description = "Writer endpoint of the trading database."
  value       = aws_rds_cluster.trading.endpoint
}
