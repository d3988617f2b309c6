# Trading database: Aurora PostgreSQL, one writer and one reader across two zones.

resource "aws_db_subnet_group" "data" {
  name       = "${var.name_prefix}-data"
  subnet_ids = var.data_subnet_ids
  tags       = var.tags
}

resource "aws_rds_cluster_parameter_group" "trading" {
  name        = "${var.name_prefix}-aurora-pg16"
  family      = "aurora-postgresql16"
  description = "TLS-only connections and connection auditing"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.2"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements,pgaudit"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pgaudit.log"
    value = "ddl,role"
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "aurora" {
  name              = "/aws/rds/cluster/${var.name_prefix}-trading/postgresql"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
  tags              = merge(var.tags, { data_category = "logs" })
}

resource "aws_rds_cluster" "trading" {
  cluster_identifier              = "${var.name_prefix}-trading"
  engine                          = "aurora-postgresql"
  engine_version                  = "16.4"
  database_name                   = "trading"
  master_username                 = "tp_admin"
  manage_master_user_password     = true
  master_user_secret_kms_key_id   = aws_kms_key.data.arn
  db_subnet_group_name            = aws_db_subnet_group.data.name
  vpc_security_group_ids          = [var.aurora_security_group_id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.trading.name

  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.data.arn
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]

  backup_retention_period   = 35
  preferred_backup_window   = "03:00-04:00"
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name_prefix}-trading-final"

  tags = var.aurora_tags

  depends_on = [aws_cloudwatch_log_group.aurora]
}

resource "aws_rds_cluster_instance" "trading" {
  count = var.aurora_instance_count

  identifier                            = "${var.name_prefix}-trading-${count.index}"
  cluster_identifier                    = aws_rds_cluster.trading.id
  instance_class                        = var.aurora_instance_class
  engine                                = aws_rds_cluster.trading.engine
  engine_version                        = aws_rds_cluster.trading.engine_version
  db_subnet_group_name                  = aws_db_subnet_group.data.name
  publicly_accessible                   = false
  auto_minor_version_upgrade            = true
  ca_cert_identifier                    = "rds-ca-rsa2048-g1"
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.data.arn
  performance_insights_retention_period = 7

  tags = var.aurora_tags
}

# Credentials of the trading service's database user; rotated by the RDS rotation function every 30 days.
resource "aws_secretsmanager_secret" "trading_app_db" {
  name                    = "${var.name_prefix}/aurora/svc-trading-app"
  description             = "Aurora credentials of the trading service"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 30
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_rotation" "trading_app_db" {
  secret_id           = aws_secretsmanager_secret.trading_app_db.id
  rotation_lambda_arn = var.rotation_lambda_arn

  rotation_rules {
    automatically_after_days = 30
  }
}
