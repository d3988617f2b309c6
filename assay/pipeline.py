"""The main job: observe a path (Terraform, plans, manifests), judge every snapshot, return the assessment."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from assay.discovery import Inputs, discover
from assay.errors import InputError
from assay.provenance import attribute
from assay.settings import Settings
from collectors import ResourceSnapshot, Unread
from collectors.kubernetes import read_manifests
from collectors.problems import Problem
from collectors.terraform import MapContext, Parts, VarInputs, read_terraform
from collectors.terraform.variables import undeclared_option
from controls import Catalog
from policies import Coverage, Evaluation, Judgement, PolicySet, coverage, evaluate
from policies.engine import rego_for


@dataclass
class Assessment:
    path: Path
    inputs: Inputs | None
    snapshots: list[ResourceSnapshot] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    merged: dict[str, set[str]] = field(default_factory=dict)  # Terraform sibling address -> snapshot ids
    evaluated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    parts: list[Parts] = field(default_factory=list)  # what each Terraform snapshot merged
    unread: list[Unread] = field(default_factory=list)  # declared resources no snapshot stands for

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def coverage(self, policies: PolicySet) -> Coverage:
        """What these policies judged of the input, and what they did not."""
        return coverage(policies, self.snapshots, self.unread, self.merged)


def observe(path: Path, settings: Settings, now: datetime, variables: VarInputs | None = None) -> Assessment:
    """`variables` (--var-file, --var, TF_VAR_) go to every Terraform root module under `path`."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    inputs = discover(path)
    if inputs.empty():
        raise InputError(f"{path}: no Terraform (*.tf), plan JSON or Kubernetes manifests found")
    result = Assessment(path, inputs, evaluated_at=now)
    read_dirs: set[Path] = set()
    context = MapContext(settings.cluster_name, settings.pseudonym_key)
    # a --var is an error only when no root declares it: a tree may hold several roots
    per_root = replace(variables, check_declared=False) if variables else None
    undeclared: set[str] | None = None
    for source in [*inputs.terraform_dirs, *inputs.plan_files]:
        if source.resolve() in read_dirs:
            continue  # already read as a module of an earlier root
        read = read_terraform(source, now, per_root, context=context)
        if source in inputs.terraform_dirs:
            undeclared = read.undeclared_vars if undeclared is None else undeclared & read.undeclared_vars
        read_dirs |= read.directories
        result.snapshots += read.snapshots
        result.problems += read.problems
        result.merged.update(read.merged)
        result.unread += read.unmapped
        if read.parts is not None:
            result.parts.append(read.parts)
    result.problems += [Problem(f"--var {n}", None, undeclared_option(n)) for n in sorted(undeclared or ())]
    if inputs.manifest_files:
        key = settings.pseudonym_key()
        for manifest in inputs.manifest_files:
            snaps, problems = read_manifests(
                manifest, cluster=settings.cluster_name, pseudonym_key=key, unread=result.unread
            )
            result.snapshots += snaps
            result.problems += problems
    return result


def assess(
    path: Path,
    catalog: Catalog,
    policies: PolicySet,
    settings: Settings,
    now: datetime | None = None,
    variables: VarInputs | None = None,
) -> Assessment:
    result = observe(path, settings, now or datetime.now(UTC), variables)
    ev = Evaluation(
        result.snapshots, controls_for=catalog.controls_for_policy, now=result.evaluated_at, sources=("iac",)
    )
    rego = rego_for(policies)
    result.judgements = attribute(evaluate(policies, ev, rego), result.parts, policies, ev, rego)
    return result
