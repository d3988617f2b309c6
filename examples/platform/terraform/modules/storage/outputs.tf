output "bucket_names" {
  description = "Data bucket names by short name."
  value       = { for key, bucket in aws_s3_bucket.this : key => bucket.bucket }
}

output "audit_logs_bucket" {
  description = "Bucket receiving CloudTrail and AWS Config deliveries."
  value       = aws_s3_bucket.audit_logs.bucket
}

output "access_logs_bucket" {
  description = "Bucket receiving S3 server access logs."
  value       = aws_s3_bucket.access_logs.bucket
}

output "reporting_exports_bucket" {
  description = "Bucket of the nightly reporting exports."
  value       = aws_s3_bucket.reporting_exports.bucket
}
