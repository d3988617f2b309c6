"""`assay run`, `assay evidence list|show|verify` and `assay keys export`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from assay.evidence import Evidence, open_signer, trusted_keys
from assay.pipeline import InputError
from assay.settings import Settings
from assay.status import catalog_status
from controls import load_catalog
from evidence_store.backends import open_backend
from evidence_store.dsse import EnvelopeError, open_envelope
from evidence_store.ledger import record_key
from evidence_store.statement import KINDS
from evidence_store.verify import verify_store
from reports.console import table


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--since {text!r}: expected a date such as 2026-11-01 or 2026-11-01T12:00:00Z"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def cmd_evidence_list(args: argparse.Namespace) -> int:
    index = Evidence.open(Settings()).index
    rows = index.records(
        control=args.control, since=_since(args.since), kind=args.kind, run_id=args.run, limit=args.limit
    )
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        **vars(r),
                        "recorded_at": r.recorded_at.isoformat(),
                        "retain_until": r.retain_until.isoformat() if r.retain_until else None,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return 0
    print(
        table(
            ["digest", "kind", "status", "controls", "resource", "recorded"],
            [
                (
                    r.digest[:16],
                    r.kind,
                    r.status or "-",
                    ",".join(r.control_ids) or "-",
                    r.resource_id or "-",
                    r.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
                )
                for r in rows
            ],
        )
    )
    print(f"\n{len(rows)} records")
    return 0


def _resolve(evidence: Evidence, prefix: str) -> str:
    try:
        matches = evidence.index.find(prefix)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if len(matches) != 1:
        found = "no record" if not matches else f"{len(matches)} records"
        raise InputError(f"{prefix}: {found} with that digest; give more of it (see `assay evidence list`)")
    return matches[0].digest


def cmd_evidence_show(args: argparse.Namespace) -> int:
    settings = Settings()
    evidence = Evidence.open(settings)
    digest = _resolve(evidence, args.digest)
    try:
        opened = open_envelope(evidence.store.backend.get(record_key(digest)), trusted_keys(settings))
    except EnvelopeError as exc:
        print(f"assay: record {digest} does not verify: {exc}", file=sys.stderr)
        return 1
    print(
        json.dumps(
            {"digest": digest, "key_id": opened.key_id, "statement": json.loads(opened.payload)}, indent=2
        )
    )
    return 0


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    settings = Settings()
    backend = open_backend(
        settings.evidence, endpoint_url=settings.aws_endpoint_url, region=settings.aws_region
    )
    if not args.all and not args.digests:
        raise InputError("name records to verify, or pass --all")
    only = None
    if args.digests:
        evidence = Evidence.open(settings)
        only = [_resolve(evidence, d) for d in args.digests]
    report = verify_store(backend, trusted_keys(settings), only)
    for problem in report.problems:
        print(f"FAIL {problem}")
    for warning in report.warnings:
        print(f"note {warning}")
    verdict = "OK" if report.ok else f"FAILED: {len(report.problems)} problem(s)"
    print(
        f"{report.records} records, {report.checkpoints} checkpoints, {report.bytes} bytes checked in "
        f"{backend.url}: {verdict}"
    )
    return 0 if report.ok else 1


def cmd_evidence_status(args: argparse.Namespace) -> int:
    index = Evidence.open(Settings()).index
    statuses = catalog_status(load_catalog(), index, datetime.now(UTC), args.framework)
    if args.format == "json":
        print(json.dumps([s.to_json() for s in statuses], indent=2))
    else:
        rows = [
            (
                s.control.id,
                s.status,
                s.last_verdict or "-",
                s.control.frequency.value,
                s.recorded_at.strftime("%Y-%m-%d %H:%M") if s.recorded_at else "-",
                s.control.title,
            )
            for s in statuses
        ]
        print(table(["control", "status", "last verdict", "frequency", "recorded", "title"], rows))
    return 0


def cmd_keys_export(args: argparse.Namespace) -> int:
    settings = Settings()
    keys = trusted_keys(settings, open_signer(settings))
    for key_id, key in keys.items():
        if args.output:
            out = Path(args.output)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{key_id}.pem").write_bytes(key.pem)  # type: ignore[attr-defined]
            print(out / f"{key_id}.pem")
        else:
            print(f"# key id: {key_id}\n{key.pem.decode().strip()}")  # type: ignore[attr-defined]
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    e_list.set_defaults(handler=cmd_evidence_list)
    e_show = evidence.add_parser("show", help="verify one record and print its statement")
    e_show.add_argument("digest", help="the record's sha256 (a unique prefix will do)")
    e_show.set_defaults(handler=cmd_evidence_show)
    e_status = evidence.add_parser(
        "status", help="each control's latest verdict; stale when older than its frequency"
    )
    e_status.add_argument("--framework", choices=["soc2", "pci-dss", "gdpr"])
    e_status.add_argument("--format", choices=["table", "json"], default="table")
    e_status.set_defaults(handler=cmd_evidence_status)
    e_verify = evidence.add_parser("verify", help="signatures, digests, the ledger chain and checkpoints")
    e_verify.add_argument("digests", nargs="*")
    e_verify.add_argument("--all", action="store_true")
    e_verify.set_defaults(handler=cmd_evidence_verify)

    keys = sub.add_parser("keys", help="signing keys").add_subparsers(dest="action", required=True)
    k_export = keys.add_parser("export", help="the public key(s) as PEM, for openssl")
    k_export.add_argument("--output", help="a directory: write <key id>.pem files there")
    k_export.set_defaults(handler=cmd_keys_export)
