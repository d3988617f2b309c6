"""The engine turns every failure into a result: raising policies, silent policies, bad Rego output."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors import make_snapshot
from policies import Evaluation, PolicySet, Status, evaluate
from policies.engine import evaluate_one
from policies.model import Context, PolicySpec, Verdict, passed
from policies.rego import RegoError, RegoEvaluator, read_policy
from policies.sdk import attribute_policy, policy

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def _key(id_: str, rotation: bool) -> object:
    return make_snapshot(
        id=id_,
        type="aws.kms.key",
        source="iac",
        attributes={"rotation_enabled": rotation},
        collector="test",
        raw={},
    )


def _ev(*snaps: object, sources: tuple[str, ...] = ("iac",)) -> Evaluation:
    return Evaluation(snaps, controls_for=lambda pid: ("ENC-02",), now=NOW, sources=sources)  # type: ignore[arg-type]


@policy("test.raises", resource_types=["aws.kms.key"], title="raises", severity="low")
def _raises(snapshot: object, ctx: Context) -> Verdict:
    raise KeyError("boom")


@policy("test.returns_none", resource_types=["aws.kms.key"], title="none", severity="low")
def _returns_none(snapshot: object, ctx: Context) -> Verdict:
    return None  # type: ignore[return-value]


def test_a_raising_policy_yields_error_for_each_resource() -> None:
    out = evaluate_one(_raises, _ev(_key("a", True), _key("b", False)), None)
    assert {(v.resource_id, v.status) for v in out} == {("a", Status.error), ("b", Status.error)}
    assert "KeyError" in out[0].message


def test_a_policy_returning_nothing_yields_error() -> None:
    out = evaluate_one(_returns_none, _ev(_key("a", True)), None)
    assert [v.status for v in out] == [Status.error]


def test_attribute_policy_and_judgement_fields() -> None:
    spec = attribute_policy(
        "test.rotation", "aws.kms.key", "rotation_enabled", True, title="t", severity="low"
    )
    judgements = evaluate(PolicySet({spec.id: spec}), _ev(_key("a", True), _key("b", False)))
    got = {j.resource_id: j for j in judgements}
    assert got["a"].status is Status.passed and got["b"].status is Status.failed
    assert got["b"].control_ids == ("ENC-02",) and got["b"].resource_type == "aws.kms.key"


def test_required_policy_absent_is_missing_only_where_the_source_can_show_it() -> None:
    spec = attribute_policy(
        "test.summary",
        "aws.iam.account_summary",
        "account_mfa_enabled",
        True,
        title="t",
        severity="high",
        required=True,
    )
    assert evaluate_one(spec, _ev(sources=("iac",)), None)[0].status is Status.not_applicable
    assert evaluate_one(spec, _ev(sources=("runtime",)), None)[0].status is Status.missing


def test_fail_wins_over_pass_for_the_same_resource() -> None:
    def both(resources: object, ctx: Context) -> list[Verdict]:
        return [passed("ok", "a"), Verdict(Status.failed, "bad", "a")]

    spec = PolicySpec(
        id="t",
        title="t",
        resource_types=("aws.kms.key",),
        severity="low",
        engine="python",
        source_file=__file__,
        aggregate=both,
    )  # type: ignore[arg-type]
    out = evaluate_one(spec, _ev(_key("a", True)), None)
    assert [(v.resource_id, v.status) for v in out] == [("a", Status.failed)]


REGO_SILENT = """# METADATA
# title: silent
# custom:
#   id: test.silent
#   resource_types: [aws.kms.key]
#   severity: low
package assay.test.silent

import rego.v1

results contains {"resource": r.id, "status": "pass", "message": "ok"} if {
\tsome r in input.resources
\tr.attributes.rotation_enabled
}
"""


def _rego(tmp_path: Path, text: str) -> tuple[PolicySpec, RegoEvaluator]:
    path = tmp_path / "p.rego"
    path.write_text(text)
    spec = read_policy(path)
    return spec, RegoEvaluator([spec])


def test_rego_resource_without_a_result_is_an_error(tmp_path: Path) -> None:
    spec, rego = _rego(tmp_path, REGO_SILENT)
    out = {v.resource_id: v.status for v in evaluate_one(spec, _ev(_key("a", True), _key("b", False)), rego)}
    assert out == {"a": Status.passed, "b": Status.error}


def test_rego_malformed_result_is_an_error_for_every_subject(tmp_path: Path) -> None:
    spec, rego = _rego(tmp_path, REGO_SILENT.replace('"status": "pass"', '"status": "great"'))
    out = evaluate_one(spec, _ev(_key("a", True)), rego)
    assert [v.status for v in out] == [Status.error] and "malformed" in out[0].message


def test_rego_runtime_error_is_an_error(tmp_path: Path) -> None:
    spec, rego = _rego(tmp_path, REGO_SILENT.replace("r.attributes.rotation_enabled", "1 / 0 == r.x"))
    out = evaluate_one(spec, _ev(_key("a", True)), rego)
    assert [v.status for v in out] == [Status.error]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (REGO_SILENT.replace("# METADATA\n", ""), "no '# METADATA'"),
        (REGO_SILENT.replace("package assay.test.silent", "package other"), "package must be"),
        (REGO_SILENT.replace("#   severity: low\n", ""), "lacks severity"),
    ],
)
def test_bad_rego_metadata_names_the_file(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.rego"
    path.write_text(text)
    with pytest.raises(RegoError, match=fragment) as info:
        read_policy(path)
    assert str(path) in str(info.value)


def test_rego_that_does_not_compile_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(RegoError, match="does not compile") as info:
        _rego(tmp_path, REGO_SILENT.replace("some r in input.resources", "some r in in"))
    assert "p.rego" in str(info.value)


def test_a_type_not_read_in_full_makes_the_population_an_error_never_a_pass() -> None:
    spec = attribute_policy(
        "test.rotation2", "aws.kms.key", "rotation_enabled", True, title="t", severity="low", required=True
    )
    reason = "aws:1/eu-west-1: kms:ListKeys failed (AccessDenied); not read: aws.kms.key"
    ev = Evaluation(
        [_key("a", True)],
        controls_for=lambda _: (),
        now=NOW,
        sources=("runtime",),
        incomplete={"aws.kms.key": [reason]},
    )
    out = {(v.resource_id, v.status) for v in evaluate_one(spec, ev, None)}
    assert out == {("a", Status.passed), (None, Status.error)}
    empty = Evaluation(
        [], controls_for=lambda _: (), now=NOW, sources=("runtime",), incomplete={"aws.kms.key": [reason]}
    )
    (only,) = evaluate_one(spec, empty, None)
    assert only.status is Status.error and "AccessDenied" in only.message  # not `missing`: we could not look
