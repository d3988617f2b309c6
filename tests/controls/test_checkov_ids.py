"""Every checkov check id the catalogue cites exists in the installed checkov as a Terraform check.

Known ids come from checkov's Terraform resource and data-source registries (Python checks) and from
its Terraform graph checks (JSON definitions under checkov/terraform/checks/graph_checks/).
"""

from __future__ import annotations

import json
from pathlib import Path

import checkov
import checkov.terraform.checks.data
import checkov.terraform.checks.resource  # importing the packages registers their checks
import pytest
from checkov.terraform.checks.data.registry import data_registry
from checkov.terraform.checks.resource.registry import resource_registry

import controls

GRAPH_CHECKS = Path(checkov.__file__).parent / "terraform" / "checks" / "graph_checks"


def _registry_ids() -> set[str]:
    ids: set[str] = set()
    for registry in (resource_registry, data_registry):
        for checks in registry.checks.values():
            ids.update(check.id for check in checks)
        for checks in registry.wildcard_checks.values():
            ids.update(check.id for check in checks)
    return ids


def _graph_ids() -> set[str]:
    ids: set[str] = set()
    for path in GRAPH_CHECKS.glob("*/*.json"):
        ids.add(json.loads(path.read_text(encoding="utf-8"))["metadata"]["id"])
    return ids


@pytest.fixture(scope="module")
def known_ids() -> set[str]:
    return _registry_ids() | _graph_ids()


def test_both_sources_of_known_ids_are_read() -> None:
    # A resource check and a data-source check from the registries; a graph-only check from the JSON files.
    assert {"CKV_AWS_24", "CKV_AWS_1"} <= _registry_ids()
    assert "CKV2_AWS_6" in _graph_ids()


@pytest.fixture(scope="module")
def catalog() -> controls.Catalog:
    return controls.load_catalog()


def test_every_cited_checkov_id_exists(catalog: controls.Catalog, known_ids: set[str]) -> None:
    unknown = [
        f"{control.id}: {check_id}"
        for control in catalog.controls.values()
        for check_id in control.checkov
        if check_id not in known_ids
    ]
    assert not unknown, f"checkov ids not found in installed checkov: {', '.join(unknown)}"


def test_manual_controls_cite_no_checkov_ids(catalog: controls.Catalog) -> None:
    cited = [
        c.id for c in catalog.controls.values() if c.automation is controls.Automation.manual and c.checkov
    ]
    assert not cited, f"manual controls cannot be proven by checkov, yet cite checks: {', '.join(cited)}"
