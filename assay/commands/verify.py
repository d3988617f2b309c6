"""`assay evidence verify` and `assay keys export`: the store checked against its signatures and chain,
and the public keys an auditor needs to check it without Assay."""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.errors import InputError
from assay.keys import open_signer, trusted_keys
from assay.settings import Settings
from evidence_store.backends import open_backend
from evidence_store.verify import verify_store
from reports.progress import ProgressBar


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    if not args.all and not args.digests:
        raise InputError("name records to verify, or pass --all")
    settings = Settings()
    backend = open_backend(
        settings.evidence, endpoint_url=settings.aws_endpoint_url, region=settings.aws_region
    )
    only = None
    if args.digests:  # resolving digest prefixes reads the index; verifying everything does not need it
        from assay.commands.evidence import resolve
        from evidence_store.index import EvidenceIndex

        index = EvidenceIndex(settings.database)
        only = [resolve(index, d) for d in args.digests]
    with ProgressBar("verifying records") as bar:
        report = verify_store(backend, trusted_keys(settings), only, bar)
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
