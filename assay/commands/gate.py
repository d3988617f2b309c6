"""`assay gate`: the CI gate over Terraform or a plan."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assay.gate import GateOptions, render_gate, run_gate
from assay.settings import Settings
from collectors.terraform import VarInputs
from controls import load_catalog
from policies import load_policies


def cmd_gate(args: argparse.Namespace) -> int:
    catalog, policies, settings = load_catalog(), load_policies(), Settings()
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
        unknown_blocks=args.unknown == "block",
        variables=VarInputs.from_cli(args.var_options or (), os.environ),
    )
    view = run_gate(options, catalog, policies, settings)
    rendered = render_gate(view, args.format, catalog, policies)
    if args.output:
        Path(args.output).write_text(rendered + "\n", encoding="utf-8")
    else:
        print(rendered)
    if args.output or args.format != "text":
        print(f"assay gate: {view.verdict()}", file=sys.stderr)
    if args.record or settings.evidence_url:
        # the evidence store (SQLAlchemy, signers) loads only when a run is to be recorded
        from assay.evidence import Evidence
        from assay.gate.record import record_gate_run

        committed = record_gate_run(view, options, Evidence.open(settings))
        print(f"assay gate: run recorded as signed evidence (ledger size {committed.size})", file=sys.stderr)
    return view.exit_code()
