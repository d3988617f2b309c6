"""`assay evidence list|show|status`: what the index knows, and one record decoded."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from assay.errors import InputError
from assay.evidence import Evidence
from assay.keys import trusted_keys
from assay.settings import Settings
from assay.status import catalog_status
from controls import load_catalog
from evidence_store.dsse import EnvelopeError, open_envelope
from evidence_store.index import EvidenceIndex
from evidence_store.ledger import record_key
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


def resolve(index: EvidenceIndex, prefix: str) -> str:
    """The one record whose digest starts with `prefix`; anything else is an input error."""
    try:
        matches = index.find(prefix)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if len(matches) != 1:
        found = "no record" if not matches else f"{len(matches)} records"
        raise InputError(f"{prefix}: {found} with that digest; give more of it (see `assay evidence list`)")
    return matches[0].digest


def cmd_evidence_show(args: argparse.Namespace) -> int:
    settings = Settings()
    evidence = Evidence.open(settings)
    digest = resolve(evidence.index, args.digest)
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
