"""`assay demo`: the main job on embedded defaults, with no cloud account.

1. Judge the example platform's Terraform and manifests, and record the result as signed evidence.
2. Start the platform's running state in local stand-ins (moto seeded with its AWS side, stub ARM and
   Kubernetes API servers replaying recorded responses), collect it through the real SDK clients, judge it
   and record it, with the collection's population.
3. Verify everything recorded, and say where it all is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.collect import collect, judge, load_targets
from assay.evidence import Evidence, RunContext, record_assessment
from assay.pipeline import Assessment, assess
from assay.settings import Settings
from assay.standins.platform import running_platform
from controls import Catalog, load_catalog
from evidence_store.verify import verify_store
from policies import PolicySet, load_policies
from reports.console import coverage_summary, judgements_json, judgements_table
from reports.progress import ProgressBar

EXAMPLE = Path("examples/platform")
DEMO_TARGETS = Path("examples/demo.toml")


def _show(title: str, result: Assessment, rules: tuple[Catalog, PolicySet], out: Path) -> None:
    catalog, policies = rules
    print(f"\n== {title}\n")
    print(judgements_table(result.judgements, catalog, policies))
    covered = result.coverage(policies)
    print("\n" + coverage_summary(result.judgements, covered))
    for problem in result.problems:
        print(f"{problem.level}: {problem}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        judgements_json(result.judgements, catalog, policies, result.problems, len(result.snapshots), covered)
    )


def cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(Path(args.path) if args.path else EXAMPLE)


def run_demo(path: Path = EXAMPLE, settings: Settings | None = None) -> int:
    settings = settings or Settings()
    catalog, policies = load_catalog(), load_policies()
    print(f"Assay demo: {len(catalog.controls)} controls and {len(policies)} policies, the example platform")
    evidence = Evidence.open(settings)
    iac = assess(path, catalog, policies, settings)
    _show(f"Terraform and manifests at {path}", iac, (catalog, policies), settings.home / "demo" / "iac.json")
    with ProgressBar("recording evidence") as bar:
        iac_run, _ = record_assessment(iac, catalog, policies, evidence, progress=bar)
    with running_platform(settings.home / "demo" / "logs", path) as urls:
        with ProgressBar("collecting the stand-ins: resources read") as bar:
            collected = collect(load_targets(DEMO_TARGETS), settings, progress=bar)
        runtime = judge(collected, catalog, policies, DEMO_TARGETS)
        _show(
            f"the running platform (stand-ins: {', '.join(urls.values())})",
            runtime,
            (catalog, policies),
            settings.home / "demo" / "runtime.json",
        )
        context = RunContext("collect", [r.to_json() for r in collected.reports], collected.status)
        with ProgressBar("recording evidence") as bar:
            runtime_run, committed = record_assessment(runtime, catalog, policies, evidence, context, bar)
    for collection in collected.reports:
        print(
            f"collected {collection.provider}:{collection.target}: {collection.status}, "
            f"{sum(collection.counts.values())} resources, {collection.calls} calls, "
            f"{len(collection.failures)} failures"
        )
    with ProgressBar("verifying records") as bar:
        report = verify_store(evidence.store.backend, evidence.store.trusted, progress=bar)
    store = evidence.store
    print(f"\nJudgements (JSON):  {settings.home / 'demo'}/iac.json, runtime.json")
    print(
        f"Signed evidence:    {store.backend.url} (runs {iac_run}, {runtime_run}; "
        f"ledger size {committed.size}; key {store.signer.key_id})"
    )
    print(f"Evidence index:     {settings.database}")
    print(
        f"Verification:       {'OK' if report.ok else 'FAILED'} ({report.records} records, "
        f"{report.checkpoints} checkpoints); check again with `assay evidence verify --all`"
    )
    print("Next: `assay evidence status` shows each control; `assay gate PATH` gates your own Terraform;")
    print(
        "      `assay keys export` gives the public key; docs/VERIFY.md verifies a record with openssl alone."
    )
    return 2 if iac.errors or not report.ok else 0
