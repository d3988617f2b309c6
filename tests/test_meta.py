"""Meta tests across registries: the catalogue, the policies and the snapshot types hold together."""

from __future__ import annotations

from collectors import SNAPSHOT_TYPES
from collectors.terraform import mappers
from controls import Automation, load_catalog
from policies import load_policies

CATALOG = load_catalog()
POLICIES = load_policies()


def test_every_policy_a_control_names_exists() -> None:
    dangling = [(c.id, p) for c in CATALOG.controls.values() for p in c.policies if POLICIES.get(p) is None]
    assert not dangling, f"controls name policies that do not exist: {dangling}"


def test_every_policy_serves_a_control() -> None:
    orphans = [p.id for p in POLICIES if not CATALOG.controls_for_policy(p.id)]
    assert not orphans, f"policies no control uses: {orphans}"


def test_every_policy_reads_known_snapshot_types() -> None:
    unknown = [
        (p.id, t) for p in POLICIES for t in (*p.resource_types, *p.subject_types) if t not in SNAPSHOT_TYPES
    ]
    assert not unknown, f"policies declare unknown snapshot types: {unknown}"


def test_every_automatable_control_has_a_policy_and_manual_ones_name_evidence() -> None:
    for control in CATALOG.controls.values():
        if control.automation is Automation.manual:
            assert control.manual_evidence, control.id
        else:
            assert control.policies, control.id


def test_enough_rego_and_every_engine_used() -> None:
    assert len(POLICIES.by_engine("rego")) >= 15
    assert len(POLICIES.by_engine("python")) >= 15


def test_policy_ids_are_namespaced_by_provider() -> None:
    prefixes = ("aws.", "azure.", "k8s.", "privacy.")
    assert all(p.id.startswith(prefixes) for p in POLICIES), [
        p.id for p in POLICIES if not p.id.startswith(prefixes)
    ]


def test_every_iac_snapshot_type_a_policy_reads_has_a_terraform_mapper_or_manifest_source() -> None:
    mapped = {m.snapshot_type for m in mappers().values()}
    read = {t for p in POLICIES for t in p.resource_types}
    iac_types = {t for t in read if "iac" in SNAPSHOT_TYPES[t].sources and not t.startswith("k8s.")}
    assert iac_types <= mapped, (
        f"types policies read that no Terraform mapper produces: {sorted(iac_types - mapped)}"
    )


def test_mappers_produce_known_types() -> None:
    assert all(m.snapshot_type in SNAPSHOT_TYPES for m in mappers().values())
