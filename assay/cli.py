"""The `assay` command line: the parsers, and dispatch to the one command module that is needed.

Each command's handler lives in `assay.commands.*` (or `assay.demo`) and is named here as "module:function",
imported only when that command runs: `assay gate` does not load the evidence store's database layer, and
`assay --help` loads nothing heavy.

Exit codes: 0 ok, 1 policy failures (gate, drift) or a failed verification, 2 usage or input error,
3 internal error, 4 a collection was partial.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Sequence

from evidence_store.statement import KINDS

Handler = Callable[[argparse.Namespace], int]
SubParsers = argparse._SubParsersAction
FRAMEWORKS = ["soc2", "pci-dss", "gdpr"]
SEVERITIES = ["low", "medium", "high", "critical"]
PROVIDERS = ["aws", "azure", "kubernetes"]  # these three lists are checked against their sources by a test


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean bad input or configuration: one line, exit 2. Imported when one is being handled."""
    from assay.errors import InputError
    from assay.gate import BaselineError, WaiverError
    from assay.standins.process import StandInError
    from collectors.terraform import TerraformInputError, VarInputError
    from controls import CatalogError
    from evidence_store.backends import BackendError
    from evidence_store.signers import SignerError
    from policies import PolicyLoadError, RegoError

    return (
        InputError,
        CatalogError,
        PolicyLoadError,
        RegoError,
        TerraformInputError,
        VarInputError,
        WaiverError,
        BaselineError,
        BackendError,
        SignerError,
        StandInError,
        OSError,
    )


def _handler(name: str) -> Handler:
    module, _, function = name.partition(":")
    handler: Handler = getattr(importlib.import_module(module), function)
    return handler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assay", description="Compliance as code: judge, prove, report.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    _catalog_parsers(sub)
    _gate_parser(sub)
    _evidence_parsers(sub)
    _runtime_parsers(sub)
    demo = sub.add_parser("demo", help="judge the example platform on embedded defaults")
    demo.add_argument("--path", help="what to judge (default: examples/platform)")
    demo.set_defaults(handler="assay.demo:cmd_demo")
    return parser


def _catalog_parsers(sub: SubParsers) -> None:
    catalog = "assay.commands.catalog:"
    controls = sub.add_parser("controls", help="the control catalogue").add_subparsers(
        dest="action", required=True
    )
    c_list = controls.add_parser("list", help="list controls")
    c_list.add_argument("--framework", choices=FRAMEWORKS)
    c_list.add_argument("--format", choices=["table", "json"], default="table")
    c_list.set_defaults(handler=catalog + "cmd_controls_list")
    c_show = controls.add_parser("show", help="one control: requirements, policies, checkov IDs, rationale")
    c_show.add_argument("control_id")
    c_show.add_argument("--format", choices=["text", "json"], default="text")
    c_show.set_defaults(handler=catalog + "cmd_controls_show")

    pol = sub.add_parser("policies", help="the built-in policies").add_subparsers(
        dest="action", required=True
    )
    p_list = pol.add_parser("list", help="list policies")
    p_list.add_argument("--engine", choices=["python", "rego"])
    p_list.add_argument("--format", choices=["table", "json"], default="table")
    p_list.set_defaults(handler=catalog + "cmd_policies_list")

    ev = sub.add_parser(
        "evaluate", help="read Terraform / plans / manifests at PATH and judge every snapshot"
    )
    ev.add_argument("path")
    ev.add_argument("--format", choices=["table", "json"], default="table")
    ev.add_argument("--all", action="store_true", help="table: show passing and not-applicable results too")
    _variable_options(ev)
    ev.set_defaults(handler=catalog + "cmd_evaluate")


def _gate_parser(sub: SubParsers) -> None:
    gate = sub.add_parser(
        "gate", help="CI gate: Assay policies + checkov over Terraform or a plan, with waivers"
    )
    gate.add_argument("path", help="a Terraform directory or a `terraform show -json` plan file")
    gate.add_argument("--fail-on", choices=SEVERITIES, default="high")
    gate.add_argument("--frameworks", help="comma-separated: soc2,pci-dss,gdpr (default: all)")
    gate.add_argument("--waivers", help="waivers file (default: .assay/waivers.yaml if present)")
    gate.add_argument("--baseline", help="accept the violations recorded in this baseline file")
    gate.add_argument("--write-baseline", metavar="FILE", help="record today's failing findings and pass")
    gate.add_argument("--format", choices=["text", "json", "sarif", "junit", "github"], default="text")
    gate.add_argument("--output", help="write the report to this file instead of standard output")
    gate.add_argument("--no-checkov", action="store_true", help="run Assay's policies only")
    gate.add_argument(
        "--unknown",
        choices=["block", "warn"],
        default="block",
        help="verdicts that depend on values not known statically: block at their severity (default) or warn",
    )
    _variable_options(gate)
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
    gate.set_defaults(handler="assay.commands.gate:cmd_gate")


def _evidence_parsers(sub: SubParsers) -> None:
    commands = "assay.commands.evidence:"
    evidence = sub.add_parser("evidence", help="the signed evidence store").add_subparsers(
        dest="action", required=True
    )
    e_list = evidence.add_parser("list", help="list records (metadata from the index)")
    e_list.add_argument("--control")
    e_list.add_argument("--since", help="ISO date or time")
    e_list.add_argument("--kind", choices=list(KINDS))
    e_list.add_argument("--run", help="a run id")
    e_list.add_argument("--limit", type=int)
    e_list.add_argument("--format", choices=["table", "json"], default="table")
    e_list.set_defaults(handler=commands + "cmd_evidence_list")
    e_show = evidence.add_parser("show", help="verify one record and print its statement")
    e_show.add_argument("digest", help="the record's sha256 (a unique prefix will do)")
    e_show.set_defaults(handler=commands + "cmd_evidence_show")
    e_status = evidence.add_parser(
        "status", help="each control's latest verdict; stale when older than its frequency"
    )
    e_status.add_argument("--framework", choices=FRAMEWORKS)
    e_status.add_argument("--format", choices=["table", "json"], default="table")
    e_status.set_defaults(handler=commands + "cmd_evidence_status")
    e_verify = evidence.add_parser("verify", help="signatures, digests, the ledger chain and checkpoints")
    e_verify.add_argument("digests", nargs="*")
    e_verify.add_argument("--all", action="store_true")
    e_verify.set_defaults(handler="assay.commands.verify:cmd_evidence_verify")

    keys = sub.add_parser("keys", help="signing keys").add_subparsers(dest="action", required=True)
    k_export = keys.add_parser("export", help="the public key(s) as PEM, for openssl")
    k_export.add_argument("--output", help="a directory: write <key id>.pem files there")
    k_export.set_defaults(handler="assay.commands.verify:cmd_keys_export")


def _runtime_parsers(sub: SubParsers) -> None:
    commands = "assay.commands.runtime:"
    run = sub.add_parser(
        "run", help="judge PATH, or collect the configured targets, and record signed evidence"
    )
    run.add_argument(
        "path", nargs="?", help="Terraform, plan JSON or manifests to judge (instead of collecting)"
    )
    _target_options(run)
    _variable_options(run)
    run.add_argument("--format", choices=["table", "json"], default="table")
    run.set_defaults(handler=commands + "cmd_run")

    col = sub.add_parser(
        "collect", help="read AWS, Azure or Kubernetes state and show what was read (no judging)"
    )
    _target_options(col)
    col.add_argument("--format", choices=["table", "json"], default="table")
    col.set_defaults(handler=commands + "cmd_collect")

    serve = sub.add_parser("serve", help="run the scheduler: each control's frequency sets its schedule")
    serve.add_argument("--config", required=True)
    serve.add_argument("--once", action="store_true", help="run every job once now, then stop")
    serve.set_defaults(handler=commands + "cmd_serve")

    standins = sub.add_parser(
        "standins", help="run the example platform's AWS, Azure and Kubernetes stand-ins"
    )
    standins.set_defaults(handler=commands + "cmd_standins")

    drift = sub.add_parser(
        "drift", help="Terraform at PATH against the running platform: missing and changed"
    )
    drift.add_argument("path")
    _target_options(drift)
    _variable_options(drift)
    drift.add_argument("--format", choices=["text", "json"], default="text")
    drift.add_argument("--record", action="store_true", help="record the drift report as signed evidence")
    drift.set_defaults(handler=commands + "cmd_drift")


def _target_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="targets file (TOML: [[aws]], [[azure]], [[kubernetes]])")
    parser.add_argument(
        "--provider", choices=PROVIDERS, help="only this provider; alone: from the environment"
    )


def _var_file(value: str) -> tuple[str, str]:
    return ("var-file", value)


def _var(value: str) -> tuple[str, str]:
    return ("var", value)


def _variable_options(parser: argparse.ArgumentParser) -> None:
    """Terraform's options; both append to one list, so the later of the two wins, as in Terraform."""
    parser.add_argument(
        "--var-file",
        dest="var_options",
        action="append",
        type=_var_file,
        metavar="FILE",
        help="Terraform variable values (.tfvars or .tfvars.json) for the root module; repeatable",
    )
    parser.add_argument(
        "--var",
        dest="var_options",
        action="append",
        type=_var,
        metavar="NAME=VALUE",
        help="one root module variable's value; repeatable",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _handler(args.handler)(args)
    except Exception as exc:  # noqa: BLE001 - classified below: bad input exits 2, anything else 3
        if not isinstance(exc, user_errors()):
            return _internal_error(exc, args.debug)
        if args.debug:
            traceback.print_exc()
        print(f"assay: error: {exc}", file=sys.stderr)
        return 2


def _internal_error(exc: Exception, debug: bool) -> int:
    """Anything unexpected: one line, exit 3; --debug shows the traceback."""
    if debug:
        traceback.print_exc()
    print(
        f"assay: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
        file=sys.stderr,
    )
    return 3


if __name__ == "__main__":
    sys.exit(main())
