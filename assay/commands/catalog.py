"""`assay controls`, `assay policies` and `assay evaluate`: the catalogue, and judging a path."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from assay.pipeline import assess
from assay.settings import Settings
from collectors.terraform import VarInputs
from controls import Catalog, load_catalog
from policies import PolicySet, load_policies
from reports.console import controls_rows, coverage_summary, judgements_json, judgements_table, table
from reports.findings import severity_of


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
    # Findings carry the highest severity of the controls a policy serves; the policy's own is the fallback.
    severity = {p.id: severity_of(catalog.controls_for_policy(p.id), catalog, p.severity) for p in specs}
    if args.format == "json":
        doc = [
            {
                "id": p.id,
                "engine": p.engine,
                "title": p.title,
                "severity": severity[p.id],
                "policy_severity": p.severity,
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
            (p.id, p.engine, severity[p.id], ",".join(catalog.controls_for_policy(p.id)), p.title)
            for p in specs
        ]
        print(table(["id", "engine", "severity", "controls", "title"], rows))
        print(
            f"\n{len(specs)} policies; severity is what their findings carry: the highest of their controls'"
        )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    catalog, policies = _catalog_and_policies()
    variables = VarInputs.from_cli(args.var_options or (), os.environ)
    result = assess(Path(args.path), catalog, policies, Settings(), variables=variables)
    covered = result.coverage(policies)
    if args.format == "json":
        print(
            judgements_json(
                result.judgements, catalog, policies, result.problems, len(result.snapshots), covered
            )
        )
    else:
        print(judgements_table(result.judgements, catalog, policies, show_passing=args.all))
        print("\n" + coverage_summary(result.judgements, covered))
        for problem in result.problems:
            print(f"{problem.level}: {problem}", file=sys.stderr)
    return 2 if result.errors else 0
