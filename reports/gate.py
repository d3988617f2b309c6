"""The gate's verdict, and its JSON and text forms (SARIF, JUnit and GitHub forms live beside this)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from collectors.problems import Problem
from controls import Catalog, Severity
from policies import Coverage
from reports.console import json_lines_document, not_judged_line
from reports.findings import FAILING, Finding, display_path, summary

EXIT_PASS, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


@dataclass
class GateView:
    findings: list[Finding]
    problems: list[Problem]
    fail_on: Severity
    expired: list[dict[str, Any]] = field(default_factory=list)
    expiring: list[dict[str, Any]] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    inline_skips: list[dict[str, Any]] = field(default_factory=list)
    honour_inline_skips: bool = False
    stale_baseline: int = 0
    baseline_written: int | None = None
    cached: bool = False
    input_digest: str = ""  # sha256 over every input file's path and bytes
    unknown_blocks: bool = True  # `--unknown warn` reports unknown verdicts without blocking on them
    coverage: Coverage = field(default_factory=Coverage)  # what neither engine judged

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def is_blocking(self, f: Finding) -> bool:
        """The one blocking rule, for the exit code and every format: a failing, unjudged or (unless
        `--unknown warn`) unknown finding at or above the threshold. What was not judged did not pass."""
        if f.status == "unknown" and not self.unknown_blocks:
            return False
        return f.status in FAILING and f.rank >= self.fail_on.rank

    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if self.is_blocking(f)]

    def exit_code(self) -> int:
        if self.errors:
            return EXIT_INPUT  # fail closed: part of the input was not judged
        if self.baseline_written is not None:
            return EXIT_PASS
        return EXIT_FAIL if self.blocking() else EXIT_PASS

    def verdict(self) -> str:
        code = self.exit_code()
        if code == EXIT_INPUT:
            return f"FAILED: {len(self.errors)} input problem(s); the rest was judged"
        blocking = len(self.blocking())
        if code == EXIT_FAIL:
            return f"FAILED: {blocking} finding(s) at or above {self.fail_on.value}"
        return f"PASSED: nothing at or above {self.fail_on.value} fails"


def gate_json(view: GateView) -> str:
    head = {
        "summary": {
            **summary(view.findings),
            "fail_on": view.fail_on.value,
            "verdict": view.verdict(),
            "exit_code": view.exit_code(),
            "not_judged": view.coverage.summary(),
        }
    }
    tail = {
        "waivers": {"expired": view.expired, "expiring_soon": view.expiring, "stale": view.stale},
        "inline_skips": {"honoured": view.honour_inline_skips, "comments": view.inline_skips},
        "baseline": {"no_longer_matched": view.stale_baseline, "written": view.baseline_written},
        "problems": [str(p) for p in view.problems],
        "not_judged": [{**d, "file": display_path(d["file"])} for d in view.coverage.details()],
    }
    return json_lines_document(head, "findings", [f.to_dict() for f in _ordered(view.findings)], tail)


def _ordered(findings: list[Finding]) -> list[Finding]:
    order = {"fail": 0, "error": 1, "unknown": 2, "waived": 3, "pass": 4}
    return sorted(findings, key=lambda f: (order.get(f.status, 9), -f.rank, f.control_ids, f.resource or ""))


def _requirements(f: Finding) -> str:
    return "; ".join(f"{fw} {', '.join(ids)}" for fw, ids in f.requirements.items())


def gate_text(view: GateView, catalog: Catalog) -> str:
    """Grouped by control: what fails, where, which requirements it breaks, and how to fix it."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in _ordered(view.findings):
        if f.status != "pass":
            groups[f.control_ids[0] if f.control_ids else "-"].append(f)
    lines: list[str] = []
    for control_id, items in sorted(groups.items(), key=lambda kv: (-max(f.rank for f in kv[1]), kv[0])):
        control = catalog.controls.get(control_id)
        lines.append(f"{control_id}  {control.title if control else ''}  [{items[0].severity}]")
        lines.append(f"  breaks: {_requirements(items[0])}")
        for f in items:
            where = f"{f.file}:{f.line}" if f.file and f.line else (f.file or "-")
            engine = f"{f.engine}:{f.check_id or f.policy_id}" if f.engine == "checkov" else f.policy_id
            lines.append(f"  {f.status.upper():7} {where}  {f.resource or '(population)'}  [{engine}]")
            lines.append(f"          {f.message}")
            if f.waiver:
                lines.append(f"          waived by {_waiver_label(f.waiver)}")
        if control and any(f.status in FAILING for f in items):
            lines.append(f"  fix: {control.remediation.strip()}")
            edits = sorted(
                {f"{f.resource} (in {f.parent})" for f in items if f.parent and f.status in FAILING}
            )
            lines += [f"  edit: {edit}" for edit in edits]
        lines.append("")
    lines += _notes(view)
    counts = summary(view.findings)
    lines.append(
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['errors']} errors, "
        f"{counts['unknown']} unknown, {counts['waived']} waived"
    )
    lines += [line for line in [not_judged_line(view.coverage)] if line]
    lines.append(view.verdict())
    return "\n".join(lines)


def _waiver_label(waiver: dict[str, Any]) -> str:
    if waiver.get("kind") == "waiver":
        return f"waiver {waiver['ticket']} (owner {waiver['owner']}, expires {waiver['expires']})"
    if waiver.get("kind") == "baseline":
        return f"baseline {waiver['file']}"
    return f"inline skip {waiver.get('check_id')}: {waiver.get('reason') or 'no reason given'}"


def _notes(view: GateView) -> list[str]:
    lines = [
        f"expired waiver: {w['ticket']} ({w['control'] or w['policy']} on {w['resource']}) expired "
        f"{w['expires']}: it no longer waives"
        for w in view.expired
    ]
    lines += [f"warning: waiver {w['ticket']} expires on {w['expires']}" for w in view.expiring]
    lines += [
        f"stale waiver: {w['ticket']} ({w['control'] or w['policy']} on {w['resource']}) matches "
        "no failing finding; remove it"
        for w in view.stale
    ]
    state = "honoured" if view.honour_inline_skips else "not honoured (--honour-inline-skips)"
    lines += [f"inline skip {s['check_id']} at {s['file']}:{s['line']}: {state}" for s in view.inline_skips]
    if view.stale_baseline:
        lines.append(f"baseline: {view.stale_baseline} entries no longer occur (fixed or changed)")
    if view.baseline_written is not None:
        lines.append(f"baseline written: {view.baseline_written} failing finding(s) recorded")
    lines += [f"{p.level}: {p}" for p in view.problems]
    return [*lines, ""] if lines else []
