"""The engine's handling of unknown attributes: branches, probes, joint values, opaque collections."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from collectors import Alternative, ResourceSnapshot, UnknownAttribute, make_snapshot
from policies import Evaluation, Status
from policies.engine import evaluate_one
from policies.model import Context, Resources, Verdict, failed, passed
from policies.sdk import aggregate_policy, policy

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _key(
    attributes: dict[str, Any], unknown: tuple[UnknownAttribute, ...], alternatives=()
) -> ResourceSnapshot:
    return make_snapshot(
        id="k",
        type="aws.kms.key",
        source="iac",
        attributes=attributes,
        collector="test",
        raw=attributes,
        unknown=unknown,
        alternatives=alternatives,
        collected_at=NOW,
    )


@policy("test.rotation", resource_types=["aws.kms.key"], title="t", severity="low")
def rotation(key: ResourceSnapshot, ctx: Context) -> Verdict:
    if key.attributes["rotation_enabled"] and (key.attributes.get("rotation_period_days") or 365) <= 365:
        return passed("rotates")
    return failed("does not rotate yearly")


@policy("test.description", resource_types=["aws.kms.key"], title="t", severity="low")
def description(key: ResourceSnapshot, ctx: Context) -> Verdict:
    return passed("described") if key.attributes.get("description") else failed("no description")


@policy("test.raises", resource_types=["aws.kms.key"], title="t", severity="low")
def raises(key: ResourceSnapshot, ctx: Context) -> Verdict:
    raise RuntimeError("bug")


@aggregate_policy("test.any_rotates", resource_types=["aws.kms.key"], title="t", severity="low")
def any_rotates(keys: Resources, ctx: Context) -> list[Verdict]:
    ok = any(k.attributes["rotation_enabled"] for k in keys.of("aws.kms.key"))
    return [
        passed("one rotates", k.id) if ok else failed("none rotates", k.id) for k in keys.of("aws.kms.key")
    ]


def _status(spec: Any, snap: ResourceSnapshot) -> tuple[Status, str]:
    ev = Evaluation([snap], controls_for=lambda _: (), now=NOW)
    (verdict,) = evaluate_one(spec, ev, None)
    return verdict.status, verdict.message


ROTATION = UnknownAttribute(path="rotation_enabled", reason="var.rotate has no value", kind="bool")


def test_an_unknown_flag_the_policy_reads_is_unknown() -> None:
    status, message = _status(rotation, _key({"rotation_enabled": False}, (ROTATION,)))
    assert status is Status.unknown and "var.rotate has no value" in message


def test_an_unknown_the_policy_never_names_does_not_change_its_verdict() -> None:
    snap = _key({"rotation_enabled": True, "description": "x"}, (ROTATION,))
    assert _status(description, snap)[0] is Status.passed


def test_an_unknown_string_is_present_for_presence_checks() -> None:
    unknown = (UnknownAttribute(path="description", reason="var.d has no value", kind="str"),)
    assert _status(description, _key({"rotation_enabled": True, "description": "${var.d}"}, unknown))[0] is (
        Status.passed
    )


def test_branches_that_agree_give_their_verdict_and_disagreeing_ones_unknown() -> None:
    agree = (
        Alternative(label="if a", values={"rotation_enabled": True}),
        Alternative(label="unless a", values={"rotation_enabled": True}),
    )
    assert _status(rotation, _key({"rotation_enabled": False}, (ROTATION,), agree))[0] is Status.passed
    differ = (
        Alternative(label="if a", values={"rotation_enabled": True}),
        Alternative(label="unless a", values={"rotation_enabled": False}),
    )
    status, message = _status(rotation, _key({"rotation_enabled": False}, (ROTATION,), differ))
    assert status is Status.unknown and "if a: pass" in message and "unless a: fail" in message


def test_unknowns_are_probed_jointly() -> None:
    """Passing needs both values right: no single probe flips the failing verdict, but a pair does."""
    unknown = (
        ROTATION,
        UnknownAttribute(path="rotation_period_days", reason="var.days has no value", kind="int"),
    )
    snap = _key({"rotation_enabled": False, "rotation_period_days": 9999}, unknown)
    assert _status(rotation, snap)[0] is Status.unknown


def test_an_unknown_collection_the_policy_reads_is_unknown() -> None:
    unknown = (UnknownAttribute(path="rotation_enabled", reason="for_each is unknown", kind="list"),)
    assert _status(rotation, _key({"rotation_enabled": True}, unknown))[0] is Status.unknown


def test_a_policy_that_raises_stays_an_error() -> None:
    assert _status(raises, _key({"rotation_enabled": False}, (ROTATION,)))[0] is Status.error


def test_aggregates_are_judged_with_each_variant_in_place() -> None:
    status, _ = _status(any_rotates, _key({"rotation_enabled": False}, (ROTATION,)))
    assert status is Status.unknown


def test_known_snapshots_are_not_probed() -> None:
    calls: list[str] = []

    @policy("test.counting", resource_types=["aws.kms.key"], title="t", severity="low")
    def counting(key: ResourceSnapshot, ctx: Context) -> Verdict:
        calls.append(key.id)
        return passed("ok")

    assert _status(counting, _key({"rotation_enabled": True}, ()))[0] is Status.passed
    assert calls == ["k"]
