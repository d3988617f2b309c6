"""The verdicts of the built-in policies on what a collector read, for tests of what it could not read."""

from __future__ import annotations

from pathlib import Path

from assay.collect import Collected, judge
from collectors.runtime import CollectionReport
from collectors.snapshot import ResourceSnapshot
from controls import load_catalog
from policies import load_policies

CATALOG, POLICIES = load_catalog(), load_policies()


def population_verdicts(
    snapshots: list[ResourceSnapshot], report: CollectionReport, snapshot_type: str
) -> dict[str, set[str]]:
    """For every policy reading `snapshot_type`, the statuses of its verdicts on the whole population (no
    resource: "no buckets in scope", or "not everything could be read"); those on resources that were read
    are judged as usual."""
    judged = judge(Collected(snapshots, [report]), CATALOG, POLICIES, Path("."))
    readers = {p.id for p in POLICIES if snapshot_type in p.resource_types}
    found: dict[str, set[str]] = {policy: set() for policy in readers}
    for j in judged.judgements:
        if j.policy_id in readers and j.resource_id is None:
            found[j.policy_id].add(str(j.status))
    return found


def errors(snapshots: list[ResourceSnapshot], report: CollectionReport) -> list[str]:
    """The policies with an `error` verdict."""
    judged = judge(Collected(snapshots, [report]), CATALOG, POLICIES, Path("."))
    return sorted({j.policy_id for j in judged.judgements if str(j.status) == "error"})
