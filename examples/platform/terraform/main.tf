# Root module: wires the AWS primary site together. Audit, edge, backup and the Azure DR site are in
# audit.tf, edge.tf, backup.tf and azure.tf.

module "network" {
  source = "./modules/network"

  name_prefix     = local.name_prefix
  aws_region      = var.aws_region
  vpc_cidr        = var.vpc_cidr
  subnets         = var.subnets
  log_kms_key_arn = module.data.logs_kms_key_arn
  tags            = local.tags
}

module "data" {
  source = "./modules/data"

  name_prefix              = local.name_prefix
  aws_region               = var.aws_region
  data_subnet_ids          = module.network.data_subnet_ids
  aurora_security_group_id = module.network.aurora_security_group_id
  redis_security_group_id  = module.network.redis_security_group_id
  aurora_instance_class    = var.aurora_instance_class
  rotation_lambda_arn      = var.rotation_lambda_arn
  tags                     = local.tags
  aurora_tags              = merge(local.tags, local.classification.trading_db)
  session_cache_tags       = merge(local.tags, local.classification.session_cache)
  analytics_cache_tags     = merge(local.tags, local.classification.analytics_cache)
}

module "storage" {
  source = "./modules/storage"

  name_prefix       = local.name_prefix
  buckets           = var.buckets
  kms_key_arn       = module.data.storage_kms_key_arn
  audit_bucket_name = local.audit_bucket_name
  trail_name        = local.trail_name
  aws_region        = var.aws_region
  tags              = local.tags
}

module "eks" {
  source = "./modules/eks"

  cluster_name           = local.eks_cluster_name
  kubernetes_version     = var.kubernetes_version
  subnet_ids             = module.network.private_subnet_ids
  node_security_group_id = module.network.eks_nodes_security_group_id
  public_access_cidrs    = var.admin_cidrs
  secrets_kms_key_arn    = module.data.eks_kms_key_arn
  log_kms_key_arn        = module.data.logs_kms_key_arn
  tags                   = local.tags
}
