"""Plain-text tables and JSON documents for the CLI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from controls import Catalog, Control
from policies import Coverage, Judgement, PolicySet, Status
from reports import findings

TIMES = "\u00d7"  # the multiplication sign between a type and its count
STATUS_ORDER = {
    s: i for i, s in enumerate(["fail", "error", "unknown", "missing", "waived", "pass", "not_applicable"])
}


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    max_width: int = 70,
    notes: Sequence[str] | None = None,
) -> str:
    """A left-aligned text table; long cells are cut. `notes[i]`, if given, prints in full under row i."""
    cells = [[_cut(str(c), max_width) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for i, r in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if notes:
            lines.append(f"    {notes[i]}")
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def severity_of(judgement: Judgement, catalog: Catalog, policies: PolicySet) -> str:
    """The highest severity of the controls the policy serves, else its own: what its findings carry."""
    spec = policies.get(judgement.policy_id)
    return findings.severity_of(judgement.control_ids, catalog, spec.severity if spec else "medium")


def judgement_record(j: Judgement, catalog: Catalog, policies: PolicySet) -> dict[str, Any]:
    return {
        "policy_id": j.policy_id,
        "control_ids": list(j.control_ids),
        "severity": severity_of(j, catalog, policies),
        "status": j.status.value,
        "resource": j.resource_id,
        "resource_type": j.resource_type,
        "file": j.location.file if j.location else None,
        "line": j.location.line if j.location else None,
        "message": j.message,
        "unknown_attributes": list(j.unknown),
        "cause": j.cause,
        "evaluated_at": j.evaluated_at.isoformat(),
    }


def summary(judgements: Sequence[Judgement]) -> dict[str, int]:
    counts = Counter(j.status.value for j in judgements)
    return {s.value: counts.get(s.value, 0) for s in Status}


def judgements_json(
    judgements: Sequence[Judgement],
    catalog: Catalog,
    policies: PolicySet,
    problems: Sequence[object] = (),
    resources: int = 0,
    coverage: Coverage | None = None,
) -> str:
    """`summary` (with `not_judged` when `coverage` is given), `judgements`, `problems`, `not_judged`."""
    records = sorted((judgement_record(j, catalog, policies) for j in judgements), key=_sort_key)
    head: dict[str, Any] = {"resources": resources, **summary(judgements), "problems": len(problems)}
    tail: dict[str, Any] = {"problems": [str(p) for p in problems]}
    if coverage is not None:
        head["not_judged"] = coverage.summary()
        tail["not_judged"] = coverage.details()
    return json_lines_document({"summary": head}, "judgements", records, tail)


def json_lines_document(
    head: dict[str, Any], key: str, records: Sequence[dict[str, Any]], tail: dict[str, Any]
) -> str:
    """A JSON object with one record per line: readable, and encoded by the fast C encoder."""
    parts = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in head.items()]
    rows = ",\n    ".join(json.dumps(r, ensure_ascii=False) for r in records)
    parts.append(f"  {json.dumps(key)}: [\n    {rows}\n  ]" if records else f"  {json.dumps(key)}: []")
    parts += [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in tail.items()]
    return "{\n" + ",\n".join(parts) + "\n}"


def _sort_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (STATUS_ORDER.get(r["status"], 9), r["control_ids"], r["resource"] or "", r["policy_id"])


def judgements_table(
    judgements: Sequence[Judgement], catalog: Catalog, policies: PolicySet, show_passing: bool = False
) -> str:
    records = sorted((judgement_record(j, catalog, policies) for j in judgements), key=_sort_key)
    shown = [r for r in records if show_passing or r["status"] not in ("pass", "not_applicable")]
    rows = [
        (
            r["status"].upper(),
            r["severity"],
            ",".join(r["control_ids"]) or "-",
            r["policy_id"],
            r["resource"] or "(population)",
            _where(r),
        )
        for r in shown
    ]
    notes = [r["message"] for r in shown]
    return table(["status", "severity", "controls", "policy", "resource", "location"], rows, 90, notes)


def _where(record: dict[str, Any]) -> str:
    if not record["file"]:
        return "-"
    return f"{record['file']}:{record['line']}" if record["line"] else record["file"]


def summary_line(judgements: Sequence[Judgement], resources: int, joined: int = 0) -> str:
    counts = summary(judgements)
    parts = ", ".join(
        f"{counts[k]} {k.replace('_', ' ')}"
        for k in ("pass", "fail", "error", "unknown", "missing", "not_applicable")
        if counts[k]
    )
    siblings = f" (with {plural(joined, 'sibling resource')} joined into {_them(resources)})"
    siblings = siblings if joined else ""
    policies = plural(len({j.policy_id for j in judgements}), "policy", "policies")
    return f"{plural(resources, 'resource')} judged by {policies}{siblings}: {parts}"


def _them(n: int) -> str:
    return "it" if n == 1 else "them"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 resource`, `5 resources`; `many` for irregular plurals (`policy`, `policies`)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def not_judged_line(coverage: Coverage, shown: int = 5) -> str | None:
    """`14 resources of 9 types not judged: aws_lambda_function x6, aws_sns_topic x3, …` (with a
    multiplication sign), the `shown` most common types first; None when everything was judged."""
    types = coverage.types()
    if not types:
        return None
    listed = ", ".join(f"{t} {TIMES}{n}" for t, n in list(types.items())[:shown])
    more = ", …" if len(types) > shown else ""
    counted = f"{plural(sum(types.values()), 'resource')} of {plural(len(types), 'type')}"
    return f"{counted} not judged: {listed}{more}"


def coverage_summary(judgements: Sequence[Judgement], coverage: Coverage) -> str:
    """The summary line of an assessment, and under it what was not judged."""
    line = summary_line(judgements, coverage.judged, coverage.joined)
    missed = not_judged_line(coverage)
    return f"{line}\n{missed}" if missed else line


def controls_rows(controls: Iterable[Control]) -> list[tuple[str, ...]]:
    return [
        (
            c.id,
            c.severity.value,
            c.automation.value,
            c.frequency.value,
            "; ".join(f"{fw}: {', '.join(ids)}" for fw, ids in c.requirements.items()),
            c.title,
        )
        for c in controls
    ]
