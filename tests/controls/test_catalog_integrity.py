"""The shipped catalogue holds together, and a broken catalogue fails loudly, naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import controls
from controls.loader import CATALOG_ROOT

FRAMEWORKS = ("soc2", "pci-dss", "gdpr")
MIN_CONTROLS = 50
MIN_REQUIREMENTS_PER_FRAMEWORK = 15


@pytest.fixture(scope="module")
def catalog() -> controls.Catalog:
    return controls.load_catalog()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogue."""
    for part in ("frameworks", "catalog"):
        shutil.copytree(CATALOG_ROOT / part, tmp_path / part)
    return tmp_path


def _edit_control(root: Path, control_id: str, **changes: object) -> Path:
    path = root / "catalog" / f"{control_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_catalogue_loads_with_enough_controls(catalog: controls.Catalog) -> None:
    assert len(catalog.controls) >= MIN_CONTROLS, (
        f"only {len(catalog.controls)} controls; want {MIN_CONTROLS}+"
    )
    assert set(catalog.frameworks) == set(FRAMEWORKS)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_framework_coverage(catalog: controls.Catalog, framework: str) -> None:
    covered = {
        rid for control in catalog.controls.values() for rid in control.requirements.get(framework, ())
    }
    assert len(covered) >= MIN_REQUIREMENTS_PER_FRAMEWORK, (
        f"{framework}: controls cover {len(covered)} requirements; want {MIN_REQUIREMENTS_PER_FRAMEWORK}+"
    )


def test_every_requirement_reference_resolves(catalog: controls.Catalog) -> None:
    assert catalog.unresolved_requirements() == []


def test_no_empty_requirement_lists(catalog: controls.Catalog) -> None:
    empty = [
        f"{c.id}: {fw}" for c in catalog.controls.values() for fw, ids in c.requirements.items() if not ids
    ]
    assert not empty, f"framework keys with no requirements (omit the key instead): {', '.join(empty)}"


def test_file_names_match_control_ids() -> None:
    mismatched = []
    for path in sorted((CATALOG_ROOT / "catalog").glob("*.yaml")):
        declared = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        if declared != path.stem:
            mismatched.append(f"{path.name} declares {declared}")
    assert not mismatched, "; ".join(mismatched)


def test_dangling_requirement_reference_is_rejected(catalog_copy: Path) -> None:
    reqs = yaml.safe_load((catalog_copy / "catalog" / "ENC-01.yaml").read_text(encoding="utf-8"))[
        "requirements"
    ]
    reqs["pci-dss"] = [*reqs["pci-dss"], "99.9.9"]
    _edit_control(catalog_copy, "ENC-01", requirements=reqs)
    with pytest.raises(controls.CatalogError) as raised:
        controls.load_catalog(catalog_copy)
    message = str(raised.value)
    assert str(catalog_copy / "catalog" / "ENC-01.yaml") in message
    assert "99.9.9" in message


def test_unknown_framework_key_is_rejected(catalog_copy: Path) -> None:
    path = _edit_control(catalog_copy, "ENC-02", requirements={"iso27001": ["A.8.24"]})
    with pytest.raises(controls.CatalogError, match="iso27001") as raised:
        controls.load_catalog(catalog_copy)
    assert str(path) in str(raised.value)


def test_file_name_must_match_id(catalog_copy: Path) -> None:
    source = catalog_copy / "catalog" / "ENC-03.yaml"
    renamed = source.with_name("ENC-99.yaml")
    source.rename(renamed)
    with pytest.raises(controls.CatalogError, match="does not match the file name") as raised:
        controls.load_catalog(catalog_copy)
    assert str(renamed) in str(raised.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [("severity", "urgent"), ("frequency", "fortnightly"), ("owner", "nobody"), ("checkov", ["not-a-check"])],
)
def test_bad_field_names_the_file(catalog_copy: Path, field: str, value: object) -> None:
    path = _edit_control(catalog_copy, "NET-01", **{field: value})
    with pytest.raises(controls.CatalogError) as raised:
        controls.load_catalog(catalog_copy)
    message = str(raised.value)
    assert str(path) in message
    assert field in message


def test_missing_required_field_names_the_file(catalog_copy: Path) -> None:
    path = catalog_copy / "catalog" / "LOG-01.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["objective"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(controls.CatalogError, match="objective") as raised:
        controls.load_catalog(catalog_copy)
    assert str(path) in str(raised.value)


def test_malformed_yaml_names_the_file(catalog_copy: Path) -> None:
    path = catalog_copy / "catalog" / "IAM-01.yaml"
    path.write_text("id: IAM-01\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(controls.CatalogError, match="not valid YAML") as raised:
        controls.load_catalog(catalog_copy)
    assert str(path) in str(raised.value)
