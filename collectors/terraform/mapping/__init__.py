"""Terraform -> snapshot mappers, one module per family of services; every module-level Mapper counts."""
