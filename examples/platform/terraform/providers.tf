# Primary region: AWS us-east-1. Disaster recovery: Azure East US 2.
provider "aws" {
  region = var.aws_region
}

provider "azurerm" {
  features {}
  subscription_id     = var.azure_subscription_id
  storage_use_azuread = true
}

data "aws_caller_identity" "current" {}
