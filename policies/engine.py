"""Dispatch: run every policy over the snapshots of its declared types and return judgements.

Failure is a result: a policy that raises, returns nothing for a resource, or returns garbage yields
`error` for the resources it should have judged, never a missing result.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

from collectors import SNAPSHOT_TYPES, ResourceSnapshot, UnknownAttribute
from collectors.snapshot import listed
from policies.model import Context, Judgement, PolicySpec, Resources, Status, Verdict
from policies.registry import PolicySet
from policies.rego import RegoError, RegoEvaluator
from policies.unknowns import Runner, settle

ControlLookup = Callable[[str], tuple[str, ...]]
_NOT_INPUT = {"location", "collected_at", "unknown", "alternatives"}
_SEVERITY_ORDER = {Status.failed: 4, Status.error: 3, Status.unknown: 2, Status.passed: 1}


class Evaluation:
    """One evaluation: snapshots indexed by type, shared by every policy."""

    def __init__(
        self,
        snapshots: Iterable[ResourceSnapshot],
        *,
        controls_for: ControlLookup,
        now: datetime | None = None,
        sources: Iterable[str] = ("iac",),
        incomplete: Mapping[str, Sequence[str]] | None = None,
    ):
        self.now = now or datetime.now(UTC)
        self.incomplete = dict(incomplete or {})  # snapshot type -> why it could not be read in full
        self.sources = frozenset(sources)
        self.controls_for = controls_for
        self.by_type: dict[str, list[ResourceSnapshot]] = defaultdict(list)
        self.by_id: dict[str, ResourceSnapshot] = {}
        for snap in snapshots:
            self.by_type[snap.type].append(snap)
            self.by_id[snap.id] = snap
        self._json: dict[str, str] = {}

    def resources(self, spec: PolicySpec) -> list[ResourceSnapshot]:
        return [s for t in spec.resource_types for s in self.by_type.get(t, ())]

    def resources_json(self, spec: PolicySpec, variants: Sequence[ResourceSnapshot] = ()) -> str:
        """Rego input, built from each snapshot's JSON serialised once per evaluation.

        `variants` replace the snapshots with their ids (or, with new ids, join them).
        """
        replaced = {v.id: v for v in variants}
        parts = []
        for snap in self.resources(spec):
            if snap.id in replaced:
                continue
            cached = self._json.get(snap.id)
            if cached is None:
                cached = self._json[snap.id] = snap.model_dump_json(exclude=_NOT_INPUT)
            parts.append(cached)
        parts += [v.model_dump_json(exclude=_NOT_INPUT) for v in variants]
        return '{"resources":[' + ",".join(parts) + '],"params":' + json.dumps(dict(spec.params)) + "}"

    def judgement(self, spec: PolicySpec, verdict: Verdict) -> Judgement:
        snap = self.by_id.get(verdict.resource_id) if verdict.resource_id else None
        return Judgement.model_construct(  # every field comes from validated inputs
            policy_id=spec.id,
            control_ids=self.controls_for(spec.id),
            resource_id=verdict.resource_id,
            resource_type=snap.type if snap else None,
            status=verdict.status,
            message=verdict.message,
            evaluated_at=self.now,
            location=snap.location if snap else None,
            unknown=snap.unknown_paths if snap else (),
        )

    def absent_verdict(self, spec: PolicySpec) -> Verdict:
        observable = any(
            self.sources & SNAPSHOT_TYPES[t].sources for t in spec.resource_types if t in SNAPSHOT_TYPES
        )
        types = ", ".join(spec.resource_types)
        if spec.required and observable:
            return Verdict(Status.missing, f"no {types} found: the control requires one")
        return Verdict(Status.not_applicable, f"no {types} in scope")


def _errors(spec: PolicySpec, subjects: Sequence[ResourceSnapshot], message: str) -> list[Verdict]:
    if not subjects:
        return [Verdict(Status.error, message)]
    return [Verdict(Status.error, message, s.id) for s in subjects]


def _check(spec: PolicySpec, snap: ResourceSnapshot, ctx: Context) -> Verdict:
    assert spec.check is not None
    try:
        verdict = spec.check(snap, ctx)
    except Exception as exc:  # noqa: BLE001 - a policy bug becomes an error judgement, never a silent gap
        verdict = Verdict(Status.error, f"policy raised {type(exc).__name__}: {exc}")
    if not isinstance(verdict, Verdict):
        verdict = Verdict(Status.error, f"policy returned {verdict!r} instead of a verdict")
    return Verdict(verdict.status, verdict.message, snap.id)


def _per_resource(spec: PolicySpec, ev: Evaluation, resources: Sequence[ResourceSnapshot]) -> list[Verdict]:
    ctx = Context(ev.now, spec.params)
    return [_check(spec, snap, ctx) for snap in resources]


def _aggregate(spec: PolicySpec, ev: Evaluation, variants: Sequence[ResourceSnapshot] = ()) -> list[Verdict]:
    assert spec.aggregate is not None
    replaced = {v.id: v for v in variants}
    by_type = {t: [replaced.get(s.id, s) for s in ev.by_type.get(t, [])] for t in spec.resource_types}
    try:
        return list(spec.aggregate(Resources(by_type), Context(ev.now, spec.params)))
    except Exception as exc:  # noqa: BLE001 - surfaces as error judgements for every subject
        return _errors(spec, _subjects(spec, ev), f"policy raised {type(exc).__name__}: {exc}")


def _rego(
    spec: PolicySpec, ev: Evaluation, rego: RegoEvaluator, variants: Sequence[ResourceSnapshot] = ()
) -> list[Verdict]:
    try:
        results = rego.evaluate(spec, ev.resources_json(spec, variants))
    except RegoError as exc:
        return _errors(spec, _subjects(spec, ev), str(exc))
    return [Verdict(Status(r["status"]), r.get("message", ""), r.get("resource")) for r in results]


def _subjects(spec: PolicySpec, ev: Evaluation) -> list[ResourceSnapshot]:
    return [s for t in spec.subjects for s in ev.by_type.get(t, ())]


def _complete(spec: PolicySpec, ev: Evaluation, verdicts: list[Verdict]) -> list[Verdict]:
    """Merge duplicate verdicts per resource (worst wins) and turn every unjudged subject into an error."""
    merged: dict[str | None, Verdict] = {}
    for v in verdicts:
        prior = merged.get(v.resource_id)
        if prior is None or _SEVERITY_ORDER.get(v.status, 0) > _SEVERITY_ORDER.get(prior.status, 0):
            merged[v.resource_id] = v
        elif prior.status == v.status and v.message not in prior.message:
            merged[v.resource_id] = Verdict(v.status, f"{prior.message}; {v.message}", v.resource_id)
    for snap in _subjects(spec, ev):
        if snap.id not in merged:
            merged[snap.id] = Verdict(Status.error, "policy gave no verdict for this resource", snap.id)
    return list(merged.values())


def rego_for(policies: PolicySet) -> RegoEvaluator | None:
    """The Rego policies of a set, compiled once (None when it has none)."""
    rego_specs = policies.by_engine("rego")
    return RegoEvaluator(rego_specs) if rego_specs else None


def evaluate(policies: PolicySet, ev: Evaluation, rego: RegoEvaluator | None = None) -> list[Judgement]:
    """Every policy's judgements; `rego`, when given, is `rego_for(policies)` built by the caller."""
    rego = rego or rego_for(policies)
    judgements: list[Judgement] = []
    for spec in policies:
        judgements.extend(ev.judgement(spec, v) for v in evaluate_one(spec, ev, rego))
    return judgements


def _gaps(spec: PolicySpec, ev: Evaluation) -> list[str]:
    return [reason for t in spec.resource_types for reason in ev.incomplete.get(t, ())]


def evaluate_one(spec: PolicySpec, ev: Evaluation, rego: RegoEvaluator | None) -> list[Verdict]:
    """A policy's verdicts; where a type it reads was not read in full, the population is an `error`."""
    gaps = _gaps(spec, ev)
    gap = [Verdict(Status.error, f"not everything could be read: {listed(gaps)}")] if gaps else []
    resources = ev.resources(spec)
    if not resources:
        return gap or [ev.absent_verdict(spec)]
    if spec.engine == "rego":
        assert rego is not None
        verdicts = _rego(spec, ev, rego)
    elif spec.aggregate is not None:
        verdicts = _aggregate(spec, ev)
    else:
        verdicts = _per_resource(spec, ev, resources)
    run, batch = _runner(spec, ev, rego)
    verdicts = _complete(spec, ev, verdicts)
    return settle(spec, verdicts, resources, run, batch) + gap


def judges_each(spec: PolicySpec) -> bool:
    """Whether a policy judges each resource on its own (its verdict on one depends on no other)."""
    return spec.aggregate is None and (spec.engine != "rego" or len(spec.resource_types) == 1)


def judge_variant(
    spec: PolicySpec, ev: Evaluation, rego: RegoEvaluator | None, variant: ResourceSnapshot
) -> Verdict | None:
    """The policy's verdict on `variant` in place of the snapshot with its id (others judged as they are)."""
    run, _ = _runner(spec, ev, rego)
    return run([variant]).get(variant.id)


def decided_by(
    spec: PolicySpec,
    ev: Evaluation,
    rego: RegoEvaluator | None,
    snapshot: ResourceSnapshot,
    attributes: tuple[UnknownAttribute, ...],
) -> bool:
    """Whether some value of these attributes would change the policy's verdict on `snapshot`.

    Asked of policies that judge each resource on its own; for one that judges a population (which would
    be judged again for every value) the answer is False, and only removing a part can show its cause.
    """
    if not judges_each(spec):
        return False
    run, batch = _runner(spec, ev, rego)
    base = run([snapshot]).get(snapshot.id)
    if base is None:
        return False
    probed = snapshot.model_copy(update={"unknown": attributes, "alternatives": ()})
    (settled,) = settle(spec, [base], [probed], run, batch)
    return settled.status is Status.unknown and base.status is not Status.unknown


def _runner(spec: PolicySpec, ev: Evaluation, rego: RegoEvaluator | None) -> tuple[Runner, bool]:
    """How to judge variants of resources that hold unknowns, and whether they can be judged in one batch.

    A per-resource policy judges variants side by side; a policy over several types (or an aggregate) may
    judge one resource by the others, so each variant replaces its resource in a run of its own.
    """

    def by_id(verdicts: list[Verdict]) -> dict[str, Verdict]:
        return {v.resource_id: v for v in verdicts if v.resource_id is not None}

    if spec.engine == "rego":
        assert rego is not None
        evaluator = rego

        def run_rego(variants: list[ResourceSnapshot]) -> dict[str, Verdict]:
            return by_id(_rego(spec, ev, evaluator, variants))

        return run_rego, judges_each(spec)
    if spec.aggregate is not None:
        return (lambda variants: by_id(_aggregate(spec, ev, variants))), False
    return (lambda variants: by_id(_per_resource(spec, ev, variants))), True
