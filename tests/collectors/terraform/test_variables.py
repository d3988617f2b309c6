"""Root module variables as Terraform loads them: every source, its precedence, type conversion, problems."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from collectors.terraform import VarInputError, VarInputs, load_terraform, read_terraform
from collectors.terraform.hcl import HclReader
from collectors.terraform.variables import LoadedVariables, root_variables

PLAN = Path(__file__).parent / "fixtures" / "reader" / "plan" / "tfplan.json"

MAIN_TF = """
variable "admin_cidr" {
  type        = string
  description = "who may reach the bastion over SSH"
  default     = "192.0.2.0/24"
}

variable "sse_algorithm" {
  type    = string
  default = "aws:kms"
}

variable "kms_key_arn" {
  type        = string
  description = "required: the key that encrypts exports"
}

variable "open_admin" {
  type    = bool
  default = false
}

variable "admin_ports" {
  type    = list(number)
  default = [22]
}

variable "retention_days" {
  type    = number
  default = 365
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "owner" {
  default = null
}

variable "environment" {
  type     = string
  default  = "prod"
  nullable = false
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.open_admin ? ["0.0.0.0/0"] : [var.admin_cidr]
  }
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
  tags   = var.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.sse_algorithm
      kms_master_key_id = var.kms_key_arn
    }
  }
}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    directory = tmp_path / "infra"
    directory.mkdir()
    (directory / "main.tf").write_text(MAIN_TF)
    return directory


def load(
    root: Path, options: tuple[tuple[str, str], ...] = (), env: dict[str, str] | None = None
) -> LoadedVariables:
    module = HclReader().read_module_files(root)
    return root_variables(root, module.blocks("variable"), VarInputs(options, env or {}))


def resources(root: Path, inputs: VarInputs | None = None) -> dict[str, dict[str, Any]]:
    return {r.address: r.values for r in load_terraform(root, inputs).model.resources}


def bastion_cidrs(values: dict[str, dict[str, Any]]) -> Any:
    return values["aws_security_group.bastion"]["ingress"][0]["cidr_blocks"]


# Each source, lowest precedence first, sets admin_cidr to its own value and returns (options, env) to pass.
Source = Callable[[Path, str], tuple[tuple[tuple[str, str], ...], dict[str, str]]]


def _file(name: str, text: Callable[[str], str]) -> Source:
    def source(root: Path, value: str) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
        (root / name).write_text(text(value))
        return (), {}

    return source


def _hcl(value: str) -> str:
    return f'# set by the pipeline\nadmin_cidr = "{value}"\n'


def _json(value: str) -> str:
    return json.dumps({"admin_cidr": value})


def _env(root: Path, value: str) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    return (), {"TF_VAR_admin_cidr": value}


def _var_file(root: Path, value: str) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    path = root.parent / "prod.tfvars"
    path.write_text(_hcl(value))
    return (("var-file", str(path)),), {}


def _var(root: Path, value: str) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    return (("var", f"admin_cidr={value}"),), {}


SOURCES: list[tuple[str, Source]] = [
    ("TF_VAR", _env),
    ("terraform.tfvars", _file("terraform.tfvars", _hcl)),
    ("terraform.tfvars.json", _file("terraform.tfvars.json", _json)),
    ("a.auto.tfvars", _file("a.auto.tfvars", _hcl)),
    ("b.auto.tfvars.json", _file("b.auto.tfvars.json", _json)),
    ("c.auto.tfvars", _file("c.auto.tfvars", _hcl)),
    ("--var-file", _var_file),
    ("--var", _var),
]


@pytest.mark.parametrize("name,source", SOURCES, ids=[n for n, _ in SOURCES])
def test_each_source_beats_the_default(root: Path, name: str, source: Source) -> None:
    assert load(root).values["admin_cidr"] == "192.0.2.0/24"
    options, env = source(root, "10.1.0.0/16")
    assert load(root, options, env).values["admin_cidr"] == "10.1.0.0/16"


PAIRS = list(itertools.combinations(range(len(SOURCES)), 2))


@pytest.mark.parametrize("low,high", PAIRS, ids=[f"{SOURCES[a][0]}<{SOURCES[b][0]}" for a, b in PAIRS])
def test_the_higher_source_wins_over_every_lower_one(root: Path, low: int, high: int) -> None:
    low_options, low_env = SOURCES[low][1](root, "10.1.0.0/16")
    high_options, high_env = SOURCES[high][1](root, "10.2.0.0/16")
    loaded = load(root, low_options + high_options, {**low_env, **high_env})
    assert loaded.values["admin_cidr"] == "10.2.0.0/16"
    assert loaded.problems == []


def test_auto_tfvars_are_ordered_by_file_name_across_both_suffixes(root: Path) -> None:
    (root / "b.auto.tfvars").write_text('admin_cidr = "10.1.0.0/16"\n')
    (root / "b.auto.tfvars.json").write_text('{"admin_cidr": "10.2.0.0/16"}')
    (root / "a.auto.tfvars.json").write_text('{"admin_cidr": "10.3.0.0/16"}')
    assert load(root).values["admin_cidr"] == "10.2.0.0/16"  # b.auto.tfvars < b.auto.tfvars.json


def test_var_file_and_var_apply_in_command_line_order(root: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.tfvars", tmp_path / "second.tfvars"
    first.write_text('admin_cidr = "10.1.0.0/16"\n')
    second.write_text('admin_cidr = "10.2.0.0/16"\n')
    var = ("var", "admin_cidr=10.9.0.0/16")
    cases = {
        (("var-file", str(first)), ("var-file", str(second))): "10.2.0.0/16",
        (("var-file", str(second)), ("var-file", str(first))): "10.1.0.0/16",
        (("var-file", str(first)), var): "10.9.0.0/16",
        (var, ("var-file", str(first))): "10.1.0.0/16",
        (var, ("var", "admin_cidr=10.8.0.0/16")): "10.8.0.0/16",
    }
    for options, expected in cases.items():
        assert load(root, options).values["admin_cidr"] == expected, options


def test_strings_from_var_and_tf_var_take_the_declared_type(root: Path) -> None:
    loaded = load(
        root,
        (
            ("var", "open_admin=true"),
            ("var", "retention_days=30"),
            ("var", 'tags={ team = "network", cost_centre = 42 }'),
            ("var", "owner=7"),
        ),
        {"TF_VAR_admin_ports": '[22, "3389"]', "TF_VAR_sse_algorithm": "AES256"},
    )
    assert loaded.problems == []
    values = loaded.values
    assert values["open_admin"] is True and values["retention_days"] == 30
    assert values["admin_ports"] == [22, 3389]  # list(number): elements converted too
    assert values["tags"] == {"team": "network", "cost_centre": "42"}  # map(string)
    assert values["owner"] == "7"  # no type constraint: the text as given
    assert values["sse_algorithm"] == "AES256"


def test_file_values_are_converted_to_the_declared_type(root: Path) -> None:
    (root / "terraform.tfvars").write_text(
        'open_admin = "true"\nretention_days = "90"\nadmin_ports = [3389]\n'
    )
    values = load(root).values
    assert values["open_admin"] is True and values["retention_days"] == 90 and values["admin_ports"] == [3389]


@pytest.mark.parametrize(
    "option,message",
    [
        ("open_admin=yes", "is not a bool"),
        ("retention_days=ninety", "is not a number"),
        ("admin_ports=22", "is not a list(number)"),
        ("tags=[1, 2", "is not a valid map(string) value"),
        ("admin_ports=" + "[" * 3000 + "]" * 3000, "is not a valid list(number) value"),  # too deep to read
    ],
)
def test_a_value_of_the_wrong_type_is_an_error_and_stays_unknown(
    root: Path, option: str, message: str
) -> None:
    loaded = load(root, (("var", option),))
    name = option.partition("=")[0]
    (problem,) = loaded.problems
    assert problem.level == "error" and message in problem.message and name in problem.message
    assert name not in loaded.values  # not its default: the value the user meant is unknown


def test_undeclared_values_warn_in_files_error_on_the_command_line_and_are_ignored_in_the_environment(
    root: Path,
) -> None:
    (root / "terraform.tfvars").write_text('admin_cidr = "10.0.0.0/8"\n\nadmin_cidrs = ["0.0.0.0/0"]\n')
    loaded = load(root, (("var", "admn_cidr=0.0.0.0/0"),), {"TF_VAR_region": "us-east-1"})
    warning, error = loaded.problems
    assert (warning.level, warning.file, warning.line) == ("warning", str(root / "terraform.tfvars"), 3)
    assert "undeclared variable 'admin_cidrs'" in warning.message
    assert error.level == "error" and "admn_cidr" in str(error)
    assert "admin_cidrs" not in loaded.values and loaded.values["admin_cidr"] == "10.0.0.0/8"


def test_an_unchecked_root_reports_undeclared_var_names_to_its_caller(root: Path) -> None:
    module = HclReader().read_module_files(root)
    inputs = VarInputs((("var", "region=us-east-1"),), {}, check_declared=False)
    loaded = root_variables(root, module.blocks("variable"), inputs)
    assert loaded.problems == [] and loaded.undeclared_cli == {"region"}


def test_a_required_variable_with_no_value_is_absent_and_stays_a_reference(root: Path) -> None:
    values = load(root).values
    assert "kms_key_arn" not in values
    assert values["owner"] is None and "owner" in values  # an explicit null default is a value
    sse = resources(root)["aws_s3_bucket_server_side_encryption_configuration.exports"]
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default == {"sse_algorithm": "aws:kms", "kms_master_key_id": "${var.kms_key_arn}"}


def test_null_for_a_non_nullable_variable_keeps_its_default(root: Path) -> None:
    (root / "terraform.tfvars").write_text("environment = null\nowner = null\n")
    values = load(root).values
    assert values["environment"] == "prod" and values["owner"] is None


def test_tfvars_reach_the_resources_through_conditionals(root: Path) -> None:
    assert bastion_cidrs(resources(root)) == ["192.0.2.0/24"]
    (root / "terraform.tfvars").write_text("open_admin = true\n")
    assert bastion_cidrs(resources(root)) == ["0.0.0.0/0"]
    inputs = VarInputs((("var", "open_admin=false"), ("var", "admin_cidr=10.0.0.0/8")))
    assert bastion_cidrs(resources(root, inputs)) == ["10.0.0.0/8"]


def test_sse_algorithm_from_a_var_file_reaches_the_bucket_snapshot(root: Path, tmp_path: Path) -> None:
    var_file = tmp_path / "dev.tfvars.json"
    var_file.write_text(json.dumps({"sse_algorithm": "AES256", "kms_key_arn": "arn:aws:kms:::key/1"}))
    read = read_terraform(root, variables=VarInputs((("var-file", str(var_file)),)))
    (bucket,) = [s for s in read.snapshots if s.type == "aws.s3.bucket"]
    assert bucket.attributes["encryption"]["algorithm"] == "AES256"
    assert bucket.attributes["encryption"]["kms_key_id"] == "arn:aws:kms:::key/1"


def test_values_reach_module_calls_and_unset_child_inputs_stay_references(root: Path) -> None:
    (root / "modules" / "admin_sg").mkdir(parents=True)
    (root / "modules" / "admin_sg" / "main.tf").write_text(
        """
variable "cidr" {
  type = string
}

variable "port" {
  type    = number
  default = 22
}

variable "vpc_id" {
  type = string
}

resource "aws_security_group" "this" {
  name   = "admin"
  vpc_id = var.vpc_id
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
"""
    )
    (root / "admin.tf").write_text(
        'module "admin" {\n  source = "./modules/admin_sg"\n  cidr = var.admin_cidr\n}\n'
    )
    (root / "terraform.tfvars").write_text('admin_cidr = "0.0.0.0/0"\n')
    group = resources(root)["module.admin.aws_security_group.this"]
    assert group["ingress"][0]["cidr_blocks"] == ["0.0.0.0/0"] and group["ingress"][0]["from_port"] == 22
    assert group["vpc_id"] == "${var.vpc_id}"


def test_tfvars_in_a_called_module_are_not_read(root: Path) -> None:
    child = root / "modules" / "logs"
    child.mkdir(parents=True)
    (child / "main.tf").write_text(
        'variable "days" {\n  type = number\n}\n\nresource "aws_cloudwatch_log_group" "this" {\n'
        '  name              = "app"\n  retention_in_days = var.days\n}\n'
    )
    (child / "terraform.tfvars").write_text("days = 1\n")
    (root / "logs.tf").write_text('module "logs" {\n  source = "./modules/logs"\n}\n')
    group = resources(root)["module.logs.aws_cloudwatch_log_group.this"]
    assert group["retention_in_days"] == "${var.days}"


def test_a_tfvars_file_that_does_not_parse_is_a_problem_with_file_and_line(root: Path) -> None:
    (root / "terraform.tfvars").write_text('admin_cidr = "10.0.0.0/8"\nopen_admin = \n')
    (root / "z.auto.tfvars.json").write_text('{\n  "retention_days": 30,\n}\n')
    loaded = load(root)
    hcl_problem, json_problem = loaded.problems
    assert hcl_problem.file == str(root / "terraform.tfvars") and hcl_problem.line == 2
    assert json_problem.file == str(root / "z.auto.tfvars.json") and json_problem.line == 3
    assert {hcl_problem.level, json_problem.level} == {"error"}
    assert loaded.values["open_admin"] is False  # nothing of the broken file was used


def test_a_reference_in_a_tfvars_file_is_an_error(root: Path) -> None:
    (root / "terraform.tfvars").write_text('admin_cidr = var.office_cidr\nsse_algorithm = "AES${256}"\n')
    loaded = load(root)
    (problem,) = loaded.problems
    assert problem.line == 1 and "not a literal" in problem.message
    assert "admin_cidr" not in loaded.values and loaded.values["sse_algorithm"] == "AES256"


def test_options_do_not_apply_to_a_plan_and_say_so() -> None:
    inputs = VarInputs((("var", "admin_cidr=0.0.0.0/0"),))
    problems = load_terraform(PLAN, inputs).problems
    assert [p.level for p in problems] == ["warning"] and "plan JSON" in problems[0].message
    assert load_terraform(PLAN).problems == []


def test_from_cli_checks_the_options_and_keeps_only_tf_var_environment(tmp_path: Path) -> None:
    var_file = tmp_path / "prod.tfvars"
    var_file.write_text('admin_cidr = "10.0.0.0/8"\n')
    inputs = VarInputs.from_cli(
        [("var-file", str(var_file)), ("var", "a=b=c")], {"TF_VAR_a": "1", "HOME": "/root"}
    )
    assert inputs.var_files == (var_file,) and inputs.vars == ("a=b=c",) and inputs.env == {"TF_VAR_a": "1"}
    with pytest.raises(VarInputError, match="no such file"):
        VarInputs.from_cli([("var-file", str(tmp_path / "missing.tfvars"))], {})
    for bad in ("admin_cidr", "=x", "1a=2"):
        with pytest.raises(VarInputError, match="NAME=VALUE"):
            VarInputs.from_cli([("var", bad)], {})


def test_a_set_holds_each_converted_value_once(root: Path) -> None:
    (root / "ports.tf").write_text('variable "allowed_ports" {\n  type    = set(number)\n  default = []\n}\n')
    loaded = load(root, (("var", 'allowed_ports=[443, "443", 8443]'),))
    assert loaded.values["allowed_ports"] == [443, 8443]


def test_a_sensitive_value_is_never_repeated_in_a_problem(root: Path) -> None:
    (root / "secrets.tf").write_text(
        'variable "auth_token" {\n  type      = number\n  sensitive = true\n}\n'
        'variable "rotation" {\n  type      = list(string)\n  sensitive = true\n  default   = []\n}\n'
    )
    loaded = load(root, (("var", "auth_token=hunter2-secret"),), {"TF_VAR_rotation": "[hunter3-secret"})
    assert len(loaded.problems) == 2
    assert all("secret" not in str(p) and "sensitive" in str(p) for p in loaded.problems), loaded.problems
    assert "auth_token" not in loaded.values and "rotation" not in loaded.values


def test_module_arguments_are_converted_nullable_is_kept_and_unknown_arguments_are_reported(
    tmp_path: Path,
) -> None:
    child = tmp_path / "modules" / "logs"
    child.mkdir(parents=True)
    (child / "main.tf").write_text(
        """
variable "retention_days" { type = number }
variable "kms_key_id" {
  type     = string
  default  = "alias/logs"
  nullable = false
}
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app"
  retention_in_days = var.retention_days
  kms_key_id        = var.kms_key_id
}
"""
    )
    (tmp_path / "main.tf").write_text(
        """
module "logs" {
  source         = "./modules/logs"
  retention_days = "400"
  kms_key_id     = null
  retension_days = 30
}
"""
    )
    loaded = load_terraform(tmp_path)
    (group,) = loaded.model.resources
    assert group.values["retention_in_days"] == 400  # "400" converted to the declared number
    assert group.values["kms_key_id"] == "alias/logs"  # null to a nullable = false variable: the default
    (problem,) = [p for p in loaded.problems if "retension_days" in p.message]
    assert "not a variable of this module" in problem.message and problem.level == "error"
