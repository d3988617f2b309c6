"""Entry point of the Terraform reader: a directory of HCL or a plan JSON file -> snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from collectors.problems import Problem
from collectors.snapshot import ResourceSnapshot
from collectors.terraform.documents import inline_documents
from collectors.terraform.hcl import HclReader
from collectors.terraform.mapping.base import MapContext
from collectors.terraform.model import TfModel
from collectors.terraform.plan import PlanError, read_plan
from collectors.terraform.snapshots import Parts, mappers, to_snapshots
from collectors.terraform.variables import VarInputs
from collectors.unread import Unread


class TerraformInputError(ValueError):
    """The path holds nothing the reader can judge."""


@dataclass
class TerraformLoad:
    model: TfModel
    problems: list[Problem]
    directories: set[Path] = field(default_factory=set)  # module directories read (root and local modules)
    undeclared_vars: set[str] = field(default_factory=set)  # --var names the root does not declare


def load_terraform(path: Path, variables: VarInputs | None = None) -> TerraformLoad:
    """A root module directory (with the local modules it calls), one .tf file, or a plan/state JSON file.

    `variables` are the root module's --var-file / --var options and TF_VAR_ environment; the root's own
    terraform.tfvars and *.auto.tfvars are always read. A plan JSON already holds its variables' values."""
    if path.is_file() and path.suffix == ".json":
        try:
            resources, problems = read_plan(path)
        except PlanError as exc:
            return TerraformLoad(TfModel([]), [Problem(str(path), exc.line, str(exc))])
        if variables is not None and variables.options:
            note = "--var-file and --var do not apply to a plan JSON (it holds the values it was planned for)"
            problems.append(Problem(str(path), None, note, level="warning"))
        return TerraformLoad(TfModel(resources), problems)
    reader = HclReader(variables)
    if path.is_file() and path.suffix == ".tf":
        reader.load(path.parent)
    elif path.is_dir():
        if not any(path.glob("*.tf")):
            raise TerraformInputError(f"{path}: no Terraform (*.tf) files in this directory")
        reader.load(path)
    else:
        raise TerraformInputError(f"{path}: not a Terraform directory, .tf file or plan JSON file")
    root = path if path.is_dir() else path.parent  # file() reads relative paths from the root module
    reader.problems += inline_documents(reader.resources, reader.data, root)
    model = TfModel(reader.resources)
    model.inline_literal_references()
    return TerraformLoad(model, reader.problems, reader.directories, reader.undeclared_vars)


@dataclass
class TerraformRead:
    snapshots: list[ResourceSnapshot]
    problems: list[Problem]
    directories: set[Path]
    merged: dict[str, set[str]] = field(default_factory=dict)  # sibling address -> the snapshots it joined
    unmapped: list[Unread] = field(default_factory=list)  # declared resources no snapshot stands for
    undeclared_vars: set[str] = field(default_factory=set)
    parts: Parts | None = None  # what each snapshot merged, to point findings at the resource to edit


def read_terraform(
    path: Path,
    now: datetime | None = None,
    variables: VarInputs | None = None,
    *,
    context: MapContext | None = None,
) -> TerraformRead:
    """`context` names the Kubernetes cluster and pseudonymises people, as settings do for manifests."""
    loaded = load_terraform(path, variables)
    snapshots, problems = to_snapshots(loaded.model, now, context)
    read = TerraformRead(snapshots, loaded.problems + problems, loaded.directories, loaded.model.merged)
    read.unmapped = unmapped(loaded.model)
    read.undeclared_vars = loaded.undeclared_vars
    read.parts = Parts(loaded.model)
    return read


def unmapped(model: TfModel) -> list[Unread]:
    """Resources of a type with no mapper that were not joined into a mapped parent either: not judged.

    Call after `to_snapshots`, which records the joins in `model.merged`.
    """
    table = mappers()
    return [
        Unread(res.address, res.type, res.file, res.line)
        for res in model.resources
        if res.type not in table and res.address not in model.merged
    ]
