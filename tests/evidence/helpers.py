"""Building blocks for evidence tests: a local store and synthetic records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from evidence_store.backends import LocalBackend
from evidence_store.canonical import sha256_hex
from evidence_store.index import EvidenceIndex
from evidence_store.records import Pending
from evidence_store.signers import Ed25519Signer, PublicKey
from evidence_store.statement import Statement, Subject
from evidence_store.store import EvidenceStore

RETAIN = datetime(2030, 1, 1, tzinfo=UTC)


def make_store(
    root: Path, key: str = "signing.pem", trusted_extra: dict[str, PublicKey] | None = None
) -> EvidenceStore:
    signer = Ed25519Signer.load_or_create(root / "keys" / key)
    trusted = {signer.key_id: PublicKey(signer.public_pem()), **(trusted_extra or {})}
    return EvidenceStore(
        LocalBackend(root / "evidence"),
        EvidenceIndex(f"sqlite:///{root / 'index.db'}"),
        signer,
        trusted,
        root / "spool",
        ledger_retention=timedelta(days=1),
    )


def results(n: int, run: str = "run-1", start: int = 0) -> list[Pending]:
    """n policy-result records on distinct subjects; deterministic, so re-runs produce the same statements."""
    out = []
    for i in range(start, start + n):
        subject = Subject(f"aws_kms_key.k{i}", f"{i:064x}")
        predicate = {
            "run_id": run,
            "policy_id": "aws.kms.key_rotation",
            "status": "pass" if i % 3 else "fail",
            "control_ids": ["ENC-02"],
            "resource_id": f"aws_kms_key.k{i}",
        }
        out.append(
            Pending(
                Statement("policy-result", (subject,), predicate),
                RETAIN,
                None,
                run,
                ["ENC-02"],
                "aws.kms.key_rotation",
                f"aws_kms_key.k{i}",
                predicate["status"],
            )
        )
    return out


def snapshot(i: int, run: str = "run-1") -> Pending:
    blob = f'{{"id":"aws_s3_bucket.b{i}","versioning_enabled":true}}'.encode()
    subject = Subject(f"aws_s3_bucket.b{i}", sha256_hex(blob))
    return Pending(
        Statement("snapshot", (subject,), {"run_id": run}), RETAIN, blob, run, resource_id=subject.name
    )
