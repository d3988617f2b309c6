"""Record a gate run as signed evidence (`gate-run/v1`): commit, input digest, verdict and what failed."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import assay
from assay.evidence import Evidence, pseudonymiser
from assay.gate.run import GateOptions
from evidence_store.records import Pending, Pseudonymise, scrub
from evidence_store.statement import Statement, Subject
from evidence_store.store import Committed
from reports.findings import summary
from reports.gate import GateView

CHG_RETENTION = timedelta(days=2555)  # CHG-01: change-management evidence is kept seven years


def commit_of(path: Path) -> str | None:
    """The commit being gated: CI's own variable, else `git rev-parse HEAD` where PATH lives."""
    for variable in ("GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "GIT_COMMIT"):
        if os.environ.get(variable):
            return os.environ[variable]
    where = path if path.is_dir() else path.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


FAILING_FIELDS = ("control_ids", "policy_id", "check_id", "resource", "file", "line", "severity", "status")


def gate_run_record(view: GateView, opts: GateOptions, pseudonymise: Pseudonymise) -> Pending:
    failing = [
        {**{k: getattr(f, k) for k in FAILING_FIELDS}, "fingerprint": f.fingerprint}
        for f in view.findings
        if f.status in ("fail", "error")
    ]
    waived = sorted({str(f.waiver.get("ticket") or f.waiver.get("kind")) for f in view.findings if f.waiver})
    predicate = {
        "assay_version": assay.__version__,
        "path": str(opts.path),
        "commit": commit_of(opts.path),
        "input_sha256": view.input_digest,
        "fail_on": view.fail_on.value,
        "frameworks": list(opts.frameworks),
        "checkov": opts.checkov,
        "verdict": view.verdict(),
        "exit_code": view.exit_code(),
        "summary": summary(view.findings),
        "failing": failing,
        "waivers_applied": waived,
        "problems": [str(p) for p in view.problems],
        "not_judged": view.coverage.summary(),
        "not_judged_resources": view.coverage.details(),
        "time": datetime.now(UTC).isoformat(),
    }
    subject = Subject("terraform-input", view.input_digest)
    statement = Statement("gate-run", (subject,), scrub(predicate, pseudonymise))
    status = "pass" if view.exit_code() == 0 else "fail"
    return Pending(statement, datetime.now(UTC) + CHG_RETENTION, control_ids=["CHG-01"], status=status)


def record_gate_run(view: GateView, opts: GateOptions, evidence: Evidence) -> Committed:
    pending = gate_run_record(view, opts, pseudonymiser(evidence.settings.pseudonym_key()))
    return evidence.store.record([pending])
