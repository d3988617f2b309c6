"""`assay run`, `assay collect`, `assay serve` and `assay drift`: the runtime side of the CLI.

Exit codes here: 0 done and complete; 2 bad input; 4 a collection was partial or failed (what could not be
read is listed, and its controls are `error`, never `pass`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from pathlib import Path

from assay.collect import (
    PROVIDERS,
    Collected,
    TargetsConfig,
    collect,
    environment_targets,
    judge,
    load_targets,
)
from assay.drift import drift_report, record_drift
from assay.errors import InputError
from assay.evidence import Evidence, RunContext, record_assessment
from assay.pipeline import Assessment, assess
from assay.settings import Settings
from collectors.terraform import VarInputs
from controls import Catalog, load_catalog
from evidence_store.store import Committed
from policies import PolicySet, load_policies
from reports.console import coverage_summary, judgements_json, judgements_table, table
from reports.progress import ProgressBar

EXIT_PARTIAL = 4


def _targets(args: argparse.Namespace) -> TargetsConfig:
    if args.config:
        return load_targets(Path(args.config))
    if not args.provider:
        raise InputError(
            "name a PATH to judge, or --config FILE / --provider aws|azure|kubernetes to collect"
        )
    return environment_targets(args.provider)


def _providers(args: argparse.Namespace) -> tuple[str, ...]:
    return (args.provider,) if args.provider else PROVIDERS


def _collect(args: argparse.Namespace, settings: Settings) -> Collected:
    with ProgressBar("collecting: resources read") as bar:
        return collect(_targets(args), settings, _providers(args), bar)


def _print_population(collected: Collected) -> None:
    for report in collected.reports:
        counts = ", ".join(f"{n} {t}" for t, n in sorted(report.counts.items())) or "nothing"
        print(
            f"{report.provider}:{report.target} {report.status}: {counts} ({report.calls} calls, "
            f"{report.pages} pages, {report.retries} retries, regions {', '.join(report.regions) or '-'})",
            file=sys.stderr,
        )
        for failure in report.failures:
            print(f"  not read: {failure}", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings()
    catalog, policies = load_catalog(), load_policies()
    collected: Collected | None = None
    if args.path:
        variables = VarInputs.from_cli(args.var_options or (), os.environ)
        result = assess(Path(args.path), catalog, policies, settings, variables=variables)
        context = RunContext()
    else:
        collected = _collect(args, settings)
        result = judge(collected, catalog, policies, Path(args.config or f"<{args.provider} environment>"))
        context = RunContext("collect", [r.to_json() for r in collected.reports], collected.status)
    evidence = Evidence.open(settings)
    with ProgressBar("recording evidence") as bar:
        run_id, committed = record_assessment(result, catalog, policies, evidence, context, bar)
    _print_run(args.format, result, run_id, committed, evidence, (catalog, policies))
    if collected is not None:
        _print_population(collected)
        return 0 if collected.status == "complete" else EXIT_PARTIAL
    for problem in result.problems:
        print(f"{problem.level}: {problem}", file=sys.stderr)
    return 2 if result.errors else 0


def _print_run(
    form: str,
    result: Assessment,
    run_id: str,
    committed: Committed,
    evidence: Evidence,
    rules: tuple[Catalog, PolicySet],
) -> None:
    catalog, policies = rules
    store = evidence.store
    info = {
        "run_id": run_id,
        "records": committed.records,
        "ledger_size": committed.size,
        "checkpoint": committed.checkpoint,
        "store": store.backend.url,
    }
    covered = result.coverage(policies)
    if form == "json":
        doc = json.loads(
            judgements_json(
                result.judgements, catalog, policies, result.problems, len(result.snapshots), covered
            )
        )
        print(json.dumps({**doc, "evidence": info}, indent=2))
        return
    print(judgements_table(result.judgements, catalog, policies))
    print(f"\n{coverage_summary(result.judgements, covered)}")
    print(
        f"run {run_id}: {committed.records} records signed ({store.signer.key_id}) into {store.backend.url}"
    )


def cmd_collect(args: argparse.Namespace) -> int:
    collected = _collect(args, Settings())
    if args.format == "json":
        doc = {
            "population": [r.to_json() for r in collected.reports],
            "snapshots": [s.model_dump(mode="json") for s in collected.snapshots],
        }
        print(json.dumps(doc, indent=2))
    else:
        rows = sorted(
            (s.provider, s.account or "-", s.region or "-", s.type, s.id) for s in collected.snapshots
        )
        print(table(["provider", "account", "region", "type", "id"], rows, max_width=90))
        print(f"\n{len(collected.snapshots)} resources")
    _print_population(collected)
    return 0 if collected.status == "complete" else EXIT_PARTIAL


def cmd_serve(args: argparse.Namespace) -> int:
    from assay.scheduler import serve

    return serve(Path(args.config), Settings(), once=args.once)


def cmd_standins(args: argparse.Namespace) -> int:
    from assay.standins.platform import running_platform

    logs = Settings().home / "standins"
    with running_platform(logs) as urls:
        print("stand-ins running (Ctrl-C stops them):")
        for name, url in urls.items():
            print(f"  {name:11} {url}")
        print("try:  assay run --config examples/demo.toml   (AWS_ACCESS_KEY_ID and _SECRET_: any value)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping")
    return 0


def cmd_drift(args: argparse.Namespace) -> int:
    settings = Settings()
    variables = VarInputs.from_cli(args.var_options or (), os.environ)  # checked before collecting
    collected = _collect(args, settings)
    report = drift_report(Path(args.path), collected, settings, variables)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report.text())
    if args.record or settings.evidence_url:
        committed = record_drift(report, Evidence.open(settings))
        print(f"drift report recorded as signed evidence (ledger size {committed.size})", file=sys.stderr)
    _print_population(collected)
    if collected.status != "complete":
        return EXIT_PARTIAL
    return 1 if report.drifted else 0
