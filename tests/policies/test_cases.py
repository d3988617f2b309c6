"""Data-driven policy cases: tests/policies/cases/<policy_id>/*.yaml, snapshots in, statuses out.

A case file:

    description: a customer key without rotation
    now: "2026-11-21T00:00:00Z"       # optional
    sources: [iac]                    # optional: which source is judged (missing vs not_applicable)
    params: {}                        # optional: overrides the policy's parameters
    snapshots:
      - {id: aws_kms_key.a, type: aws.kms.key, attributes: {rotation_enabled: false}}
    expect:
      - {resource: aws_kms_key.a, status: fail, message_contains: rotation}

`expect` must list every judgement the policy gives, no more and no fewer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors import make_snapshot
from policies import Evaluation, load_policies
from policies.engine import evaluate_one
from policies.rego import RegoEvaluator

CASES = Path(__file__).parent / "cases"
POLICIES = load_policies()
REGO = RegoEvaluator(POLICIES.by_engine("rego"))


def _case_files() -> list[Path]:
    return sorted(CASES.glob("*/*.yaml"))


def _snapshot(raw: dict[str, Any], source: str) -> Any:
    return make_snapshot(
        id=raw["id"],
        type=raw["type"],
        source=raw.get("source", source),
        attributes=raw.get("attributes", {}),
        collector="case",
        raw=raw,
        name=raw.get("name"),
        account=raw.get("account"),
        region=raw.get("region"),
        unknown=tuple(raw.get("unknown", ())),
    )


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_policy_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    spec = POLICIES.get(path.parent.name)
    assert spec is not None, f"{path}: no policy {path.parent.name}"
    if case.get("params"):
        spec = replace(spec, params={**spec.params, **case["params"]})
    sources = case.get("sources", ["iac", "runtime"])
    now = datetime.fromisoformat(case["now"]) if case.get("now") else datetime(2026, 11, 21, tzinfo=UTC)
    snaps = [_snapshot(s, sources[0]) for s in case.get("snapshots", [])]
    ev = Evaluation(snaps, controls_for=lambda _: (), now=now, sources=sources)
    got = {(v.resource_id, v.status.value): v.message for v in evaluate_one(spec, ev, REGO)}
    want = {(e.get("resource"), e["status"]): e.get("message_contains", "") for e in case["expect"]}
    assert set(got) == set(want), f"{path}: got {got}"
    for key, fragment in want.items():
        assert fragment.lower() in got[key].lower(), f"{path}: {key} message {got[key]!r} lacks {fragment!r}"


def test_every_policy_has_pass_fail_and_absent_cases() -> None:
    covered: dict[str, set[str]] = {}
    for path in _case_files():
        case = yaml.safe_load(path.read_text())
        covered.setdefault(path.parent.name, set()).update(e["status"] for e in case["expect"])
    lacking = []
    for spec in POLICIES:
        statuses = covered.get(spec.id, set())
        if not {"pass", "fail"} <= statuses or not statuses & {"missing", "not_applicable"}:
            lacking.append(f"{spec.id}: has {sorted(statuses)}")
    assert not lacking, "policies without pass, fail and missing/not_applicable cases:\n" + "\n".join(lacking)
