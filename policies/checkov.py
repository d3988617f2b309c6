"""The one seam to checkov: run it in-process with only the checks the catalogue maps, and say what it saw.

Checkov is imported here and nowhere else (it takes ~1 s to import), and only when the gate asks for it.
A crash or a file checkov cannot parse is returned as data so the caller can report `error`, never dropped.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASSED, FAILED, SKIPPED = "pass", "fail", "skipped"


@dataclass(frozen=True)
class CheckovResult:
    check_id: str
    check_name: str
    resource: str  # checkov's address: module.x.type.name, with [n] for count but no for_each keys
    file: str  # absolute path
    line: int | None
    result: str  # pass | fail | skipped
    skip_reason: str | None = None
    code_digest: str = ""  # sha256 of the resource's source lines, for baseline fingerprints


@dataclass
class CheckovRun:
    results: list[CheckovResult] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)  # files checkov could not parse
    crash: str | None = None  # checkov raised: nothing it would have said is known


RunnerFactory = Callable[[bool], Any]


def _runner(plan: bool) -> Any:
    if plan:
        from checkov.terraform.plan_runner import Runner as PlanRunner

        return PlanRunner()
    from checkov.terraform.runner import Runner

    return Runner()


def _record(record: Any, result: str) -> CheckovResult:
    lines = record.file_line_range or [None]
    suppress = (record.check_result or {}).get("suppress_comment") if result == SKIPPED else None
    code = "".join(line for _, line in (record.code_block or []))
    return CheckovResult(
        code_digest=hashlib.sha256(code.encode()).hexdigest(),
        check_id=record.check_id,
        check_name=record.check_name,
        resource=record.resource,
        file=str(record.file_abs_path),
        line=lines[0],
        result=result,
        skip_reason=suppress,
    )


def run_checkov(
    path: Path,
    check_ids: Iterable[str],
    *,
    honour_skip_comments: bool = False,
    var_files: Iterable[Path] = (),
    runner_factory: RunnerFactory = _runner,
) -> CheckovRun:
    """Run the given checks over a Terraform directory or a plan JSON file (with `--var-file` files)."""
    ids = sorted(set(check_ids))
    if not ids:
        return CheckovRun()
    plan = path.is_file() and path.suffix == ".json"
    logging.getLogger("checkov").setLevel(logging.ERROR)
    try:
        from checkov.runner_filter import RunnerFilter

        runner_filter = RunnerFilter(
            framework=["terraform_plan" if plan else "terraform"],
            checks=ids,
            show_progress_bar=False,
            var_files=[str(p) for p in var_files] or None,
        )
        root, files = (None, [str(path)]) if path.is_file() else (str(path), None)
        report = runner_factory(plan).run(
            root_folder=root,
            files=files,
            runner_filter=runner_filter,
            collect_skip_comments=honour_skip_comments,
        )
    except Exception as exc:  # noqa: BLE001 - a checkov crash becomes `error` for every control it serves
        return CheckovRun(crash=f"{type(exc).__name__}: {exc}")
    reports = report if isinstance(report, list) else [report]
    run = CheckovRun()
    for rep in reports:
        run.results += [_record(r, PASSED) for r in rep.passed_checks]
        run.results += [_record(r, FAILED) for r in rep.failed_checks]
        run.results += [_record(r, SKIPPED) for r in rep.skipped_checks]
        run.parse_errors += [str(p) for p in rep.parsing_errors]
    return run
