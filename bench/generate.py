"""Generate a Terraform tree of N resources of the kinds the platform uses, some compliant, some not."""

from __future__ import annotations

from pathlib import Path

PER_FILE = 100


def _bucket(i: int) -> str:
    algo = '"aws:kms"' if i % 3 else '"AES256"'
    return f'''
resource "aws_s3_bucket" "b{i}" {{
  bucket = "${{local.prefix}}-bucket-{i}"
  tags   = merge(local.tags, {{ data_category = "{"personal" if i % 4 == 0 else "internal"}" }})
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = {algo}
      kms_master_key_id = aws_kms_key.k{i}.arn
    }}
  }}
}}

resource "aws_s3_bucket_public_access_block" "b{i}" {{
  bucket                  = aws_s3_bucket.b{i}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = {"true" if i % 5 else "false"}
  restrict_public_buckets = true
}}
'''


def _key(i: int) -> str:
    return f"""
resource "aws_kms_key" "k{i}" {{
  description         = "key {i}"
  enable_key_rotation = {"true" if i % 2 else "false"}
}}
"""


def _sg(i: int) -> str:
    port = 22 if i % 7 == 0 else 443
    return f"""
resource "aws_security_group" "sg{i}" {{
  name   = "sg-{i}"
  vpc_id = var.vpc_id
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"""


def _log_group(i: int) -> str:
    return f"""
resource "aws_cloudwatch_log_group" "lg{i}" {{
  name              = "/bench/{i}"
  retention_in_days = {400 if i % 3 else 30}
}}
"""


def _storage(i: int) -> str:
    return f'''
resource "azurerm_storage_account" "sa{i}" {{
  name                     = "bench{i}"
  resource_group_name      = "rg"
  location                 = "eastus2"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "{"TLS1_2" if i % 4 else "TLS1_0"}"
}}
'''


def _rds(i: int) -> str:
    return f"""
resource "aws_rds_cluster" "db{i}" {{
  cluster_identifier      = "db-{i}"
  engine                  = "aurora-postgresql"
  storage_encrypted       = {"true" if i % 6 else "false"}
  kms_key_id              = aws_kms_key.k{i}.arn
  backup_retention_period = 14
  deletion_protection     = true
}}
"""


def _nsg(i: int) -> str:
    source = "Internet" if i % 5 == 0 else "10.0.0.0/8"
    return f'''
resource "azurerm_network_security_group" "nsg{i}" {{
  name                = "nsg-{i}"
  location            = "eastus2"
  resource_group_name = "rg"
  security_rule {{
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "{source}"
    destination_address_prefix = "*"
  }}
}}
'''


def _vault(i: int) -> str:
    return f"""
resource "azurerm_key_vault" "kv{i}" {{
  name                     = "kv-{i}"
  location                 = "eastus2"
  resource_group_name      = "rg"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = {"true" if i % 3 else "false"}
}}
"""


UNITS = [(_bucket, 3), (_key, 1), (_sg, 1), (_log_group, 1), (_storage, 1), (_rds, 1), (_nsg, 1), (_vault, 1)]
HEADER = """
variable "vpc_id" {
  default = "vpc-123"
}

locals {
  prefix = "bench"
  tags   = { env = "bench", owner = "platform" }
}

provider "aws" {
  region = "us-east-1"
}
"""


def generate(root: Path, resources: int) -> int:
    """Write about `resources` resources under root; return the exact number written."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(HEADER)
    written, i, chunk, files = 0, 0, [], 0
    while written < resources:
        for make, count in UNITS:
            chunk.append(make(i))
            written += count
        i += 1
        if len(chunk) >= PER_FILE:
            (root / f"r{files:03}.tf").write_text("".join(chunk))
            chunk, files = [], files + 1
    if chunk:
        (root / f"r{files:03}.tf").write_text("".join(chunk))
    return written
