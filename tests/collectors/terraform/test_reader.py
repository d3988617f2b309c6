"""The HCL and plan readers: variables, locals, modules, count, for_each, providers, plans, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.terraform import TerraformInputError, load_terraform, read_terraform
from collectors.terraform.model import UNKNOWN

FIXTURES = Path(__file__).parent / "fixtures" / "reader"


@pytest.fixture(scope="module")
def modules() -> dict[str, object]:
    loaded = load_terraform(FIXTURES / "modules")
    assert loaded.problems == []
    return {r.address: r for r in loaded.model.resources}


def test_count_expands_with_index_and_conditional(modules: dict[str, object]) -> None:
    k0, k1 = modules["aws_kms_key.keys[0]"], modules["aws_kms_key.keys[1]"]
    assert k0.values["enable_key_rotation"] is True and k1.values["enable_key_rotation"] is False  # type: ignore[attr-defined]
    assert k1.values["description"] == "key 1"  # type: ignore[attr-defined]


def test_for_each_over_set_and_locals_with_functions(modules: dict[str, object]) -> None:
    group = modules['aws_cloudwatch_log_group.named["a"]']
    assert group.values["name"] == "/acme/a"  # type: ignore[attr-defined]
    assert group.values["tags"] == {"env": "prod", "owner": "platform"}  # type: ignore[attr-defined]
    assert group.refs == {"kms_key_id": ["aws_kms_key.keys"]}  # type: ignore[attr-defined]


def test_module_for_each_inputs_addresses_and_files(modules: dict[str, object]) -> None:
    bucket = modules['module.store["logs"].aws_s3_bucket.this']
    assert bucket.values["bucket"] == "acme-eu-west-1-logs"  # type: ignore[attr-defined]
    assert bucket.file.endswith("modules/store/main.tf") and bucket.line == 4  # type: ignore[attr-defined]
    group = modules['module.store["trades"].aws_cloudwatch_log_group.this']
    assert group.values["retention_in_days"] == 30  # type: ignore[attr-defined]


def test_provider_region_and_alias(modules: dict[str, object]) -> None:
    assert modules["aws_kms_key.keys[0]"].region == "eu-west-1"  # type: ignore[attr-defined]
    assert modules["aws_kms_key.dr"].region == "us-west-2"  # type: ignore[attr-defined]


def test_string_escapes_become_real_text(modules: dict[str, object]) -> None:
    assert modules["aws_kms_key.dr"].values["description"] == 'dr "key"'  # type: ignore[attr-defined]


def test_module_output_reference_points_at_the_module_resource(modules: dict[str, object]) -> None:
    versioning = modules["aws_s3_bucket_versioning.outside"]
    assert versioning.refs["bucket"] == ['module.store["logs"].aws_s3_bucket.this']  # type: ignore[attr-defined]


def test_malformed_file_is_reported_with_line_and_the_rest_is_read() -> None:
    loaded = load_terraform(FIXTURES / "broken")
    assert [r.address for r in loaded.model.resources] == ["aws_kms_key.fine"]
    (problem,) = loaded.problems
    assert problem.file.endswith("bad.tf") and problem.line is not None and "not valid HCL" in problem.message


def test_plan_json_resources_unknowns_refs_region_and_lines() -> None:
    loaded = load_terraform(FIXTURES / "plan" / "tfplan.json")
    by = {r.address: r for r in loaded.model.resources}
    assert set(by) == {
        "aws_kms_key.data",
        "module.logs.aws_cloudwatch_log_group.app[0]",
    }  # data sources skipped
    group = by["module.logs.aws_cloudwatch_log_group.app[0]"]
    assert group.module == "module.logs" and group.values["kms_key_id"] == UNKNOWN
    assert group.refs == {"kms_key_id": ["module.logs.aws_kms_key.other"]}
    assert group.region == "eu-central-1" and group.line is not None and group.line > 1


def test_compact_plan_has_no_misleading_lines() -> None:
    loaded = load_terraform(FIXTURES / "plan" / "compact.json")
    assert {r.line for r in loaded.model.resources} == {None}


@pytest.mark.parametrize(
    ("name", "fragment"), [("broken.json", "not valid JSON"), ("notaplan.json", "not a")]
)
def test_bad_plan_files_are_one_problem(name: str, fragment: str) -> None:
    loaded = load_terraform(FIXTURES / "plan" / name)
    (problem,) = loaded.problems
    assert fragment in problem.message and problem.file.endswith(name)


def test_directory_without_terraform_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(TerraformInputError, match="no Terraform"):
        load_terraform(tmp_path)


def test_snapshots_keep_file_line_region_and_unknowns() -> None:
    read = read_terraform(FIXTURES / "plan" / "tfplan.json")
    snap = next(s for s in read.snapshots if s.type == "aws.logs.log_group")
    assert snap.id == "module.logs.aws_cloudwatch_log_group.app[0]" and snap.source == "iac"
    assert snap.location is not None and snap.location.file.endswith("tfplan.json")
    assert snap.region == "eu-central-1" and snap.attributes["kms_key_id"] == UNKNOWN  # a computed key
    assert snap.unknown_paths == ("kms_key_id",)


def test_typed_attributes_that_cannot_be_known_are_recorded(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_kms_key" "k" {\n  enable_key_rotation = aws_ssm_parameter.p.value\n}\n'
    )
    (snap,) = read_terraform(tmp_path).snapshots
    assert snap.unknown_paths == ("rotation_enabled",) and snap.attributes["rotation_enabled"] is False


def test_inline_for_each_map_and_literal_references_to_other_resources(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
resource "azurerm_resource_group" "dr" {
  name     = "dr"
  location = "eastus2"
}

resource "azurerm_storage_account" "sa" {
  name                     = "sa"
  resource_group_name      = azurerm_resource_group.dr.name
  location                 = azurerm_resource_group.dr.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "aws_kms_key" "k" {
  for_each    = { a = "one", b = "two" }
  description = each.value
}
"""
    )
    by = {r.address: r for r in load_terraform(tmp_path).model.resources}
    assert by["azurerm_storage_account.sa"].values["location"] == "eastus2"
    assert by["azurerm_storage_account.sa"].refs["location"] == ["azurerm_resource_group.dr"]
    assert by['aws_kms_key.k["b"]'].values["description"] == "two"
    (snap,) = [s for s in read_terraform(tmp_path).snapshots if s.type == "azure.storage.account"]
    assert snap.region == "eastus2"


def test_jsonencode_keeps_document_structure_around_unknown_references(modules: dict[str, object]) -> None:
    doc = modules["aws_iam_policy.logs"].values["policy"]  # type: ignore[attr-defined]
    statement = doc["Statement"][0]
    assert statement["Effect"] == "Allow" and statement["Action"] == ["logs:PutLogEvents"]
    assert "aws_cloudwatch_log_group.named" in statement["Resource"]
    assert modules["aws_iam_policy.logs"].refs == {"policy": ["aws_cloudwatch_log_group.named"]}  # type: ignore[attr-defined]
