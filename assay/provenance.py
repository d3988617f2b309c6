"""Point a verdict at what the user must edit: when a snapshot's verdict comes from a sibling resource merged
into it (a rule of a security group, a bucket's encryption configuration, a listener), the verdict is
attributed to that resource, with its file and line.

A part is the cause when judging the snapshot as it would be without that part changes the verdict, or when
some value of what the part sets would. Only failing and unknown verdicts of policies that judge each
resource on its own are explained: a pass needs no edit, and a population's verdict is no one part's. The
verdict stays on the parent snapshot (the runtime sees the same parent), with `cause` naming the part.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from collectors import SourceLocation, UnknownAttribute
from collectors.terraform import Parts, TfResource
from collectors.terraform.probing import changed_paths
from policies import Evaluation, Judgement, PolicySet, PolicySpec, Status
from policies.engine import decided_by, judge_variant, judges_each
from policies.rego import RegoEvaluator

MAX_PARTS = 24  # parts tried per verdict; a snapshot with more keeps the verdict on itself
_EXPLAINED = (Status.failed, Status.unknown)


def attribute(
    judgements: Sequence[Judgement],
    parts: Iterable[Parts],
    policies: PolicySet,
    ev: Evaluation,
    rego: RegoEvaluator | None,
) -> list[Judgement]:
    """`judgements`, with each failing one that a merged part decides pointed at that part."""
    sources = list(parts)
    out = []
    for j in judgements:
        found = _parts(j, sources, ev)
        if not found:
            out.append(j)
            continue
        spec = policies.get(j.policy_id)
        if spec is None or not judges_each(spec):  # a population's verdict is not one part's doing
            out.append(j)
            continue
        out.append(_explained(j, found, spec, ev, rego))
    return out


def _parts(j: Judgement, sources: list[Parts], ev: Evaluation) -> list[tuple[Parts, TfResource]]:
    if j.status not in _EXPLAINED or j.resource_id is None or j.resource_id not in ev.by_id:
        return []
    return [(p, child) for p in sources for child in p.of(j.resource_id)][:MAX_PARTS]


def _explained(
    j: Judgement,
    found: list[tuple[Parts, TfResource]],
    spec: PolicySpec,
    ev: Evaluation,
    rego: RegoEvaluator | None,
) -> Judgement:
    snapshot = ev.by_id[j.resource_id or ""]
    contributed: list[tuple[TfResource, tuple[UnknownAttribute, ...]]] = []
    for parts, child in found:
        without = parts.without(snapshot.id, child)
        if without is not None and without != snapshot.attributes:
            verdict = judge_variant(spec, ev, rego, snapshot.model_copy(update={"attributes": without}))
            if verdict is not None and verdict.status is not j.status:
                return _caused_by(j, child)  # without it, the verdict would differ
        paths = parts.contributed(snapshot.id, child, snapshot.attributes)
        if without is not None:
            paths.update(changed_paths(snapshot.attributes, without))
        contributed.append(
            (child, tuple(UnknownAttribute(path=p, reason="", kind=k) for p, k in paths.items()))
        )
    for child, attributes in contributed:  # its values decide the verdict, though removing it does not
        if decided_by(spec, ev, rego, snapshot, attributes):
            return _caused_by(j, child)
    return j


def _caused_by(j: Judgement, child: TfResource) -> Judgement:
    location = SourceLocation(file=child.file, line=child.line)
    return j.model_copy(update={"cause": child.address, "location": location})
