"""Baselines: accept today's violations, catch every new one.

A fingerprint covers the control, the rule, the resource address, the file and a digest of the offending
resource's state, so a new violation in another file, or a changed resource, is never absorbed.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from reports.findings import Finding

VERSION = 1


class BaselineError(ValueError):
    """A baseline file that does not load."""


def load_baseline(path: Path) -> set[str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from exc
    if (
        not isinstance(doc, dict)
        or doc.get("version") != VERSION
        or not isinstance(doc.get("findings"), list)
    ):
        raise BaselineError(f"{path}: not an Assay baseline (version {VERSION} with a `findings` list)")
    return {
        str(item["fingerprint"])
        for item in doc["findings"]
        if isinstance(item, dict) and "fingerprint" in item
    }


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Record every failing finding; written atomically so a crash never leaves half a baseline."""
    entries = [
        {
            "fingerprint": f.fingerprint,
            "control_ids": f.control_ids,
            "policy_id": f.policy_id,
            "resource": f.resource,
            "file": f.file,
        }
        for f in findings
        if f.status == "fail"
    ]
    doc = {"version": VERSION, "created": datetime.now(UTC).isoformat(), "findings": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(doc, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return len(entries)


def apply_baseline(findings: list[Finding], fingerprints: set[str], source: Path) -> set[str]:
    """Waive failing findings the baseline knows; return the baseline entries nothing matched any more."""
    seen = set()
    for f in findings:
        if f.status == "fail" and f.fingerprint in fingerprints:
            f.status, f.waiver = "waived", {"kind": "baseline", "file": str(source)}
            seen.add(f.fingerprint)
    return fingerprints - seen
