"""The `assay` command line.

Exit codes: 0 ok, 1 policy failures (gate), 2 usage or input error, 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from assay.cli_evidence import add_parsers as add_evidence_parsers
from assay.cli_runtime import add_parsers as add_runtime_parsers
from assay.demo import EXAMPLE, run_demo
from assay.evidence import Evidence
from assay.gate import BaselineError, GateOptions, WaiverError, render_gate, run_gate
from assay.gate.record import record_gate_run
from assay.pipeline import InputError, assess
from assay.settings import Settings
from assay.standins.process import StandInError
from collectors.terraform import TerraformInputError
from controls import Catalog, CatalogError, Severity, load_catalog
from evidence_store.backends import BackendError
from evidence_store.signers import SignerError
from policies import PolicyLoadError, PolicySet, RegoError, load_policies
from reports.console import controls_rows, judgements_json, judgements_table, summary_line, table

USER_ERRORS = (
    InputError,
    CatalogError,
    PolicyLoadError,
    RegoError,
    TerraformInputError,
    WaiverError,
    BaselineError,
    BackendError,
    SignerError,
    StandInError,
    OSError,
)
Handler = Callable[[argparse.Namespace], int]


def _catalog_and_policies() -> tuple[Catalog, PolicySet]:
    return load_catalog(), load_policies()


def cmd_controls_list(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    controls = catalog.for_framework(args.framework) if args.framework else list(catalog.controls.values())
    if args.format == "json":
        print(json.dumps([c.model_dump(mode="json") for c in controls], indent=2))
    else:
        print(
            table(
                ["id", "severity", "automation", "frequency", "requirements", "title"],
                controls_rows(controls),
            )
        )
        print(f"\n{len(controls)} controls")
    return 0


def cmd_controls_show(args: argparse.Namespace) -> int:
    catalog, policies = _catalog_and_policies()
    control = catalog.control(args.control_id)
    if args.format == "json":
        print(json.dumps(control.model_dump(mode="json"), indent=2))
        return 0
    print(f"{control.id}  {control.title}\n")
    print(
        f"Objective:   {control.objective}\nSeverity:    {control.severity.value}    Frequency: "
        f"{control.frequency.value}    Automation: {control.automation.value}\n"
    )
    print("Requirements:")
    for fw, ids in control.requirements.items():
        for rid in ids:
            req = catalog.requirement(fw, rid)
            print(f"  {fw:8} {rid:12} {req.title if req else '?'}")
    print("\nPolicies:")
    for pid in control.policies:
        spec = policies.get(pid)
        print(f"  {pid} ({spec.engine if spec else 'NOT FOUND'}): {spec.title if spec else ''}")
    print(f"\nCheckov:     {', '.join(control.checkov) or '-'}")
    for item in control.manual_evidence:
        print(f"Manual:      {item.name} ({item.owner}): {item.description}")
    print(f"\nRationale:   {control.rationale}\nRemediation: {control.remediation}")
    return 0


def cmd_policies_list(args: argparse.Namespace) -> int:
    catalog, policies = _catalog_and_policies()
    specs = [p for p in policies if not args.engine or p.engine == args.engine]
    if args.format == "json":
        doc = [
            {
                "id": p.id,
                "engine": p.engine,
                "title": p.title,
                "severity": p.severity,
                "resource_types": list(p.resource_types),
                "required": p.required,
                "controls": list(catalog.controls_for_policy(p.id)),
                "source": p.source_file,
            }
            for p in specs
        ]
        print(json.dumps(doc, indent=2))
    else:
        rows = [
            (p.id, p.engine, p.severity, ",".join(catalog.controls_for_policy(p.id)), p.title) for p in specs
        ]
        print(table(["id", "engine", "severity", "controls", "title"], rows))
        print(f"\n{len(specs)} policies")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    catalog, policies = _catalog_and_policies()
    result = assess(Path(args.path), catalog, policies, Settings())
    if args.format == "json":
        print(judgements_json(result.judgements, catalog, policies, result.problems, len(result.snapshots)))
    else:
        print(judgements_table(result.judgements, catalog, policies, show_passing=args.all))
        print("\n" + summary_line(result.judgements, len(result.snapshots)))
        for problem in result.problems:
            print(f"{problem.level}: {problem}", file=sys.stderr)
    return 2 if result.errors else 0


def cmd_gate(args: argparse.Namespace) -> int:
    catalog, policies = _catalog_and_policies()
    options = GateOptions(
        path=Path(args.path),
        fail_on=args.fail_on,
        frameworks=tuple(f for f in (args.frameworks or "").split(",") if f),
        waivers=Path(args.waivers) if args.waivers else None,
        baseline=Path(args.baseline) if args.baseline else None,
        write_baseline=Path(args.write_baseline) if args.write_baseline else None,
        checkov=not args.no_checkov,
        honour_inline_skips=args.honour_inline_skips,
        use_cache=not args.no_cache,
        require_missing=not args.skip_missing,
    )
    view = run_gate(options, catalog, policies, Settings())
    rendered = render_gate(view, args.format, catalog, policies)
    if args.output:
        Path(args.output).write_text(rendered + "\n", encoding="utf-8")
    else:
        print(rendered)
    if args.output or args.format != "text":
        print(f"assay gate: {view.verdict()}", file=sys.stderr)
    settings = Settings()
    if args.record or settings.evidence_url:
        committed = record_gate_run(view, options, Evidence.open(settings))
        print(f"assay gate: run recorded as signed evidence (ledger size {committed.size})", file=sys.stderr)
    return view.exit_code()


def cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(Path(args.path))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assay", description="Compliance as code: judge, prove, report.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    controls = sub.add_parser("controls", help="the control catalogue").add_subparsers(
        dest="action", required=True
    )
    c_list = controls.add_parser("list", help="list controls")
    c_list.add_argument("--framework", choices=["soc2", "pci-dss", "gdpr"])
    c_list.add_argument("--format", choices=["table", "json"], default="table")
    c_list.set_defaults(handler=cmd_controls_list)
    c_show = controls.add_parser("show", help="one control: requirements, policies, checkov IDs, rationale")
    c_show.add_argument("control_id")
    c_show.add_argument("--format", choices=["text", "json"], default="text")
    c_show.set_defaults(handler=cmd_controls_show)

    pol = sub.add_parser("policies", help="the built-in policies").add_subparsers(
        dest="action", required=True
    )
    p_list = pol.add_parser("list", help="list policies")
    p_list.add_argument("--engine", choices=["python", "rego"])
    p_list.add_argument("--format", choices=["table", "json"], default="table")
    p_list.set_defaults(handler=cmd_policies_list)

    ev = sub.add_parser(
        "evaluate", help="read Terraform / plans / manifests at PATH and judge every snapshot"
    )
    ev.add_argument("path")
    ev.add_argument("--format", choices=["table", "json"], default="table")
    ev.add_argument("--all", action="store_true", help="table: show passing and not-applicable results too")
    ev.set_defaults(handler=cmd_evaluate)

    _gate_parser(sub)
    add_evidence_parsers(sub)
    add_runtime_parsers(sub)

    demo = sub.add_parser("demo", help="judge the example platform on embedded defaults")
    demo.add_argument("--path", default=str(EXAMPLE), help="what to judge (default: %(default)s)")
    demo.set_defaults(handler=cmd_demo)
    return parser


def _gate_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gate = sub.add_parser(
        "gate", help="CI gate: Assay policies + checkov over Terraform or a plan, with waivers"
    )
    gate.add_argument("path", help="a Terraform directory or a `terraform show -json` plan file")
    gate.add_argument("--fail-on", choices=[s.value for s in Severity], default="high")
    gate.add_argument("--frameworks", help="comma-separated: soc2,pci-dss,gdpr (default: all)")
    gate.add_argument("--waivers", help="waivers file (default: .assay/waivers.yaml if present)")
    gate.add_argument("--baseline", help="accept the violations recorded in this baseline file")
    gate.add_argument("--write-baseline", metavar="FILE", help="record today's failing findings and pass")
    gate.add_argument("--format", choices=["text", "json", "sarif", "junit", "github"], default="text")
    gate.add_argument("--output", help="write the report to this file instead of standard output")
    gate.add_argument("--no-checkov", action="store_true", help="run Assay's policies only")
    gate.add_argument("--honour-inline-skips", action="store_true", help="let #checkov:skip comments waive")
    gate.add_argument("--no-cache", action="store_true", help="judge again even if nothing changed")
    gate.add_argument(
        "--record",
        action="store_true",
        help="record the run as signed evidence (always, when evidence_url is set)",
    )
    gate.add_argument(
        "--skip-missing",
        action="store_true",
        help="gate a fragment (one module): do not fail on platform-wide resources it does not define",
    )
    gate.set_defaults(handler=cmd_gate)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except USER_ERRORS as exc:
        if args.debug:
            traceback.print_exc()
        print(f"assay: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - anything unexpected: one line, exit 3; --debug shows it
        if args.debug:
            traceback.print_exc()
        print(
            f"assay: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
