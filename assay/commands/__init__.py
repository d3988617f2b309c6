"""Command handlers. `assay.cli` loads only the module of the command being run, so `assay gate` never
pays for the evidence store's database layer, nor `assay evidence verify` for the Terraform reader."""
