output "vpc_id" {
  description = "Primary VPC."
  value       = module.network.vpc_id
}

output "eks_cluster_endpoint" {
  description = "EKS API server endpoint (reachable from admin_cidrs only)."
  value       = module.eks.cluster_endpoint
}

output "aurora_writer_endpoint" {
  description = "Writer endpoint of the trading database."
  value       = module.data.aurora_endpoint
}

output "bucket_names" {
  description = "Data bucket names by short name."
  value       = module.storage.bucket_names
}

output "public_alb_dns_name" {
  description = "DNS name of the internet-facing load balancer."
  value       = aws_lb.public.dns_name
}

output "aks_cluster_id" {
  description = "DR AKS cluster."
  value       = azurerm_kubernetes_cluster.dr.id
}
