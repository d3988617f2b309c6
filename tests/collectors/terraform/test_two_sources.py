"""The same resources read from HCL and from a plan JSON give the same snapshots and the same verdicts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from collectors.terraform import read_terraform
from policies import Evaluation, evaluate, load_policies

FIXTURE = Path(__file__).parent / "fixtures" / "two_sources"
NOW = datetime(2026, 11, 21, tzinfo=UTC)


def _read(path: Path) -> dict[str, object]:
    read = read_terraform(path, NOW)
    assert read.problems == []
    return {s.id: s for s in read.snapshots}


def test_hcl_and_plan_give_the_same_snapshot_attributes() -> None:
    hcl, plan = _read(FIXTURE / "hcl"), _read(FIXTURE / "plan.json")
    assert set(hcl) == set(plan) == {"aws_kms_key.data", "aws_s3_bucket.data", "aws_security_group.db"}
    for address in hcl:
        h, p = hcl[address], plan[address]
        assert h.type == p.type and h.region == p.region == "us-east-1"  # type: ignore[attr-defined]
        h_attrs = dict(h.attributes)  # type: ignore[attr-defined]
        p_attrs = dict(p.attributes)  # type: ignore[attr-defined]
        for key in ("encryption",):  # the key ARN is a reference in HCL and unknown in the plan: both "set"
            if key in h_attrs:
                assert bool(h_attrs[key].get("kms_key_id")) and bool(p_attrs[key].get("kms_key_id"))
                h_attrs[key] = {**h_attrs[key], "kms_key_id": "set"}
                p_attrs[key] = {**p_attrs[key], "kms_key_id": "set"}
        assert h_attrs == p_attrs, address


def test_every_policy_gives_the_same_verdict_on_both() -> None:
    policies = load_policies()

    def verdicts(path: Path) -> set[tuple[str, str | None, str]]:
        snaps = list(_read(path).values())
        ev = Evaluation(snaps, controls_for=lambda _: (), now=NOW)  # type: ignore[arg-type]
        return {(j.policy_id, j.resource_id, j.status.value) for j in evaluate(policies, ev)}

    hcl, plan = verdicts(FIXTURE / "hcl"), verdicts(FIXTURE / "plan.json")
    assert hcl == plan
    assert ("aws.s3.bucket_public_access_block", "aws_s3_bucket.data", "fail") in hcl
    assert ("aws.ec2.sg_database_ports_closed", "aws_security_group.db", "fail") in hcl
    assert ("aws.s3.bucket_sse_kms", "aws_s3_bucket.data", "pass") in hcl
