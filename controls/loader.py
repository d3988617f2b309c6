"""Load and cross-check the catalogue: frameworks/*.yaml and catalog/*.yaml."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from controls.models import Control, Framework, Requirement

CATALOG_ROOT = Path(__file__).parent
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


class CatalogError(ValueError):
    """The catalogue does not load or does not hold together; the message names the file."""


@dataclass(frozen=True)
class Catalog:
    frameworks: dict[str, Framework]
    controls: dict[str, Control]
    _by_policy: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _requirements_cache: dict[tuple[str, ...], dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def control(self, control_id: str) -> Control:
        try:
            return self.controls[control_id]
        except KeyError:
            raise CatalogError(f"unknown control {control_id!r}; see `assay controls list`") from None

    def requirement(self, framework: str, requirement_id: str) -> Requirement | None:
        fw = self.frameworks.get(framework)
        if fw is None:
            return None
        return next((r for r in fw.requirements if r.id == requirement_id), None)

    def controls_for_policy(self, policy_id: str) -> tuple[str, ...]:
        return self._by_policy.get(policy_id, ())

    def controls_for_checkov(self, check_id: str) -> tuple[str, ...]:
        return tuple(c.id for c in self.controls.values() if check_id in c.checkov)

    def requirements_of(self, control_ids: Iterable[str]) -> dict[str, list[str]]:
        """The requirements a set of controls serves, by framework, each list sorted and unique."""
        key = tuple(control_ids)
        if key not in self._requirements_cache:
            self._requirements_cache[key] = self._requirements(key)
        return {fw: list(ids) for fw, ids in self._requirements_cache[key].items()}

    def _requirements(self, control_ids: tuple[str, ...]) -> dict[str, list[str]]:
        merged: dict[str, set[str]] = {}
        for cid in control_ids:
            for fw, ids in self.controls[cid].requirements.items():
                merged.setdefault(fw, set()).update(ids)
        return {fw: sorted(ids) for fw, ids in sorted(merged.items())}

    def for_framework(self, framework: str) -> list[Control]:
        return [c for c in self.controls.values() if c.requirements.get(framework)]

    def unresolved_requirements(self) -> list[str]:
        """Every (control, framework, requirement) reference that names no listed requirement."""
        problems = []
        for control in self.controls.values():
            for fw, ids in control.requirements.items():
                for rid in ids:
                    if self.requirement(fw, rid) is None:
                        problems.append(f"{control.id}: {fw} {rid}")
        return problems


def _read_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CatalogError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def _validated(model: type[Framework] | type[Control], path: Path) -> Framework | Control:
    data = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise CatalogError(f"{path}: {loc}: {first['msg']}") from exc


def _index_policies(controls: Iterable[Control]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for control in controls:
        for pid in control.policies:
            index.setdefault(pid, []).append(control.id)
    return {pid: tuple(sorted(ids)) for pid, ids in index.items()}


def load_catalog(root: Path = CATALOG_ROOT) -> Catalog:
    frameworks: dict[str, Framework] = {}
    for path in sorted((root / "frameworks").glob("*.yaml")):
        fw = _validated(Framework, path)
        assert isinstance(fw, Framework)
        frameworks[fw.id] = fw
    controls: dict[str, Control] = {}
    for path in sorted((root / "catalog").glob("*.yaml")):
        control = _validated(Control, path)
        assert isinstance(control, Control)
        if control.id != path.stem:
            raise CatalogError(f"{path}: id {control.id!r} does not match the file name")
        unknown = sorted(set(control.requirements) - set(frameworks))
        if unknown:
            raise CatalogError(f"{path}: unknown framework(s) {', '.join(unknown)}")
        controls[control.id] = control
    catalog = Catalog(frameworks, controls, _index_policies(controls.values()))
    dangling = catalog.unresolved_requirements()
    if dangling:
        control_id, _, reference = dangling[0].partition(": ")
        raise CatalogError(
            f"{root / 'catalog' / control_id}.yaml: requirement {reference} is not listed in "
            f"frameworks/ ({len(dangling)} such reference(s) in all)"
        )
    return catalog
