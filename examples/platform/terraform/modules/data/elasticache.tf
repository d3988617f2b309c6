resource "aws_elasticache_subnet_group" "data" {
  name       = "${var.name_prefix}-cache"
  subnet_ids = var.data_subnet_ids
  tags       = var.tags
}

resource "aws_cloudwatch_log_group" "redis_slow_log" {
  name              = "/aws/elasticache/${var.name_prefix}/slow-log"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
  tags              = merge(var.tags, { data_category = "logs" })
}

# Redis RBAC: the default user is switched off; the trading service signs in with IAM.
resource "aws_elasticache_user" "default" {
  user_id       = "${var.name_prefix}-default-off"
  user_name     = "default"
  engine        = "REDIS"
  access_string = "off -@all"

  authentication_mode {
    type = "no-password-required"
  }

  tags = var.tags
}

resource "aws_elasticache_user" "trading_app" {
  user_id       = "svc-trading-app"
  user_name     = "svc-trading-app"
  engine        = "REDIS"
  access_string = "on ~session:* +@read +@write -@dangerous"

  authentication_mode {
    type = "iam"
  }

  tags = var.tags
}

resource "aws_elasticache_user_group" "sessions" {
  user_group_id = "${var.name_prefix}-sessions"
  engine        = "REDIS"
  user_ids      = [aws_elasticache_user.default.user_id, aws_elasticache_user.trading_app.user_id]
  tags          = var.tags
}

# Session store and order-book cache of the trading service.
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "${var.name_prefix}-sessions"
  description          = "Trading sessions and order-book cache"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 3
  port                 = 6379
  parameter_group_name = "default.redis7"
  subnet_group_name    = aws_elasticache_subnet_group.data.name
  security_group_ids   = [var.redis_security_group_id]

  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
  transit_encryption_enabled = true
  user_group_ids             = [aws_elasticache_user_group.sessions.id]

  automatic_failover_enabled = true
  multi_az_enabled           = true
  snapshot_retention_limit   = 7
  snapshot_window            = "02:00-03:00"
  maintenance_window         = "sun:04:00-sun:05:00"
  auto_minor_version_upgrade = true

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.redis_slow_log.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }

  tags = var.session_cache_tags
}

# Aggregated market-data cache of the analytics team. Their legacy dashboard client cannot speak TLS.
resource "aws_elasticache_replication_group" "analytics" {
  replication_group_id = "${var.name_prefix}-analytics"
  description          = "Analytics aggregates for the market-data dashboards"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 2
  port                 = 6379
  parameter_group_name = "default.redis7"
  subnet_group_name    = aws_elasticache_subnet_group.data.name
  security_group_ids   = [var.redis_security_group_id]

  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.analytics.arn
  transit_encryption_enabled = false

  automatic_failover_enabled = true
  multi_az_enabled           = true
  snapshot_retention_limit   = 3
  snapshot_window            = "02:00-03:00"

  tags = var.analytics_cache_tags
}
