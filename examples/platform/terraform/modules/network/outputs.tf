output "vpc_id" {
  description = "Primary VPC."
  value       = aws_vpc.main.id
}

output "public_subnet_ids" {
  description = "Subnets of the internet-facing load balancer."
  value       = [for key, subnet in aws_subnet.this : subnet.id if var.subnets[key].tier == "public"]
}

output "private_subnet_ids" {
  description = "Subnets of the EKS nodes."
  value       = [for key, subnet in aws_subnet.this : subnet.id if var.subnets[key].tier == "private"]
}

output "data_subnet_ids" {
  description = "Subnets of Aurora and ElastiCache."
  value       = [for key, subnet in aws_subnet.this : subnet.id if var.subnets[key].tier == "data"]
}

output "alb_security_group_id" {
  description = "Security group of the public load balancer."
  value       = aws_security_group.alb.id
}

output "eks_nodes_security_group_id" {
  description = "Security group of the EKS worker nodes."
  value       = aws_security_group.eks_nodes.id
}

output "aurora_security_group_id" {
  description = "Security group of the Aurora cluster."
  value       = aws_security_group.aurora.id
}

output "redis_security_group_id" {
  description = "Security group of the Redis replication groups."
  value       = aws_security_group.redis.id
}
