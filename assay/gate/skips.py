"""Inline `#checkov:skip=` comments: always reported; honoured only when the user asks for it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assay.discovery import SKIP_DIRS
from assay.gate.merge import AddressIndex
from controls import Catalog
from policies.checkov import SKIPPED, CheckovRun
from reports.findings import Finding, display_path

_COMMENT = re.compile(r"(?:#|//)\s*checkov:skip=\s*([A-Z0-9_]+)\s*(?::\s*(.*))?")


@dataclass(frozen=True)
class InlineSkip:
    file: str
    line: int
    check_id: str
    reason: str


def find_inline_skips(path: Path) -> list[InlineSkip]:
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*.tf") if not SKIP_DIRS.intersection(p.relative_to(path).parts))
    )
    found = []
    for tf in files:
        if tf.suffix != ".tf":
            continue
        for number, line in enumerate(tf.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            match = _COMMENT.search(line)
            if match:
                found.append(
                    InlineSkip(
                        display_path(str(tf)) or str(tf),
                        number,
                        match.group(1),
                        (match.group(2) or "").strip(),
                    )
                )
    return found


def honour_skips(findings: list[Finding], run: CheckovRun, catalog: Catalog, index: AddressIndex) -> int:
    """Waive the findings a honoured skip comment covers (same resource, a control the check serves)."""
    waived = 0
    for result in run.results:
        if result.result != SKIPPED:
            continue
        controls = set(catalog.controls_for_checkov(result.check_id))
        targets = index.targets(result.resource) or {result.resource}
        for f in findings:
            if f.resource in targets and controls & set(f.control_ids) and f.status in ("fail", "pass"):
                f.status = "waived"
                f.waiver = {
                    "kind": "inline-skip",
                    "check_id": result.check_id,
                    "reason": result.skip_reason or "",
                }
                waived += 1
    return waived
