"""Terraform reader: HCL directories (with local modules) and `terraform show -json` files -> snapshots."""

from collectors.terraform.mapping.base import MapContext
from collectors.terraform.model import TfModel, TfResource
from collectors.terraform.reader import (
    TerraformInputError,
    TerraformLoad,
    TerraformRead,
    load_terraform,
    read_terraform,
)
from collectors.terraform.snapshots import Parts, mappers, to_snapshots
from collectors.terraform.variables import VarInputError, VarInputs

__all__ = [
    "MapContext",
    "Parts",
    "TerraformInputError",
    "TerraformLoad",
    "TerraformRead",
    "TfModel",
    "TfResource",
    "VarInputError",
    "VarInputs",
    "load_terraform",
    "mappers",
    "read_terraform",
    "to_snapshots",
]
