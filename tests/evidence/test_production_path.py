"""Production wiring, for real: AWS KMS (ECC_NIST_P256) signing, S3 with Object Lock, PostgreSQL index,
all through moto's server over HTTP and the local PostgreSQL."""

from __future__ import annotations

import hashlib
import secrets
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from sqlalchemy import URL, create_engine, text
from sqlalchemy.pool import NullPool

from evidence_store.backends import BackendError, S3Backend
from evidence_store.dsse import open_envelope, sign_statement
from evidence_store.index import EvidenceIndex
from evidence_store.ledger import record_key
from evidence_store.signers import KmsSigner, PublicKey
from evidence_store.statement import Statement, Subject
from evidence_store.store import EvidenceStore
from evidence_store.verify import verify_store
from tests.evidence.helpers import results, snapshot

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify-record.sh"


@pytest.fixture
def kms_signer(kms_client: Any) -> KmsSigner:
    key = kms_client.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    return KmsSigner(kms_client, key)


@pytest.fixture
def pg_url(pg_database: URL) -> str:
    schema = f"t_{secrets.token_hex(6)}"
    engine = create_engine(pg_database, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return pg_database.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


@pytest.fixture
def s3_store(
    s3_client: Any, locked_bucket: str, kms_signer: KmsSigner, pg_url: str, tmp_path: Path
) -> EvidenceStore:
    backend = S3Backend(locked_bucket, "evidence", s3_client)
    trusted = {kms_signer.key_id: PublicKey(kms_signer.public_pem())}
    return EvidenceStore(
        backend,
        EvidenceIndex(pg_url),
        kms_signer,
        trusted,
        tmp_path / "spool",
        ledger_retention=timedelta(days=3),
    )


def test_kms_signed_statement_verifies(kms_signer: KmsSigner) -> None:
    trusted = {kms_signer.key_id: PublicKey(kms_signer.public_pem())}
    statement = Statement("policy-result", (Subject("x", "b" * 64),), {"status": "fail"})
    opened = open_envelope(sign_statement(statement, kms_signer), trusted)
    assert opened.key_id.startswith("kms-") and opened.statement.predicate == {"status": "fail"}


def test_messages_over_4096_bytes_are_signed_by_digest() -> None:
    """KMS takes at most 4096 bytes RAW; larger PAEs are sent as MessageType=DIGEST with their sha256, and the
    result is an ordinary ECDSA-SHA256 signature over the PAE. (moto hashes a DIGEST message a second time,
    unlike KMS, so this path is checked against KMS's documented behaviour with a stubbed client.)"""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    client = boto3.client("kms", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    message = b"m" * 5000
    digest = hashlib.sha256(message).digest()
    with Stubber(client) as stub:
        stub.add_response(
            "get_public_key",
            {
                "KeyId": "arn:k",
                "PublicKey": public,
                "KeySpec": "ECC_NIST_P256",
                "SigningAlgorithms": ["ECDSA_SHA_256"],
            },
            {"KeyId": "k"},
        )
        signature = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
        stub.add_response(
            "sign",
            {"Signature": signature, "SigningAlgorithm": "ECDSA_SHA_256", "KeyId": "arn:k"},
            {
                "KeyId": "arn:k",
                "Message": digest,
                "MessageType": "DIGEST",
                "SigningAlgorithm": "ECDSA_SHA_256",
            },
        )
        signer = KmsSigner(client, "k")
        assert PublicKey(signer.public_pem()).verify(signer.sign(message), message)


def test_store_on_s3_with_object_lock_kms_and_postgresql(
    s3_store: EvidenceStore, s3_client: Any, locked_bucket: str
) -> None:
    committed = s3_store.record([snapshot(1), *results(6)])
    assert committed.records == 7 and committed.size == 7
    assert verify_store(s3_store.backend, s3_store.trusted).ok
    rows = s3_store.index.records(control="ENC-02")
    assert len(rows) == 6 and rows[0].key_id == s3_store.signer.key_id
    key = record_key(rows[0].digest)
    head = s3_client.head_object(Bucket=locked_bucket, Key=f"evidence/{key}")
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"]
    with pytest.raises(BackendError):
        s3_store.backend.delete(key)  # a locked record cannot be removed
    assert s3_store.backend.put(key, s3_store.backend.get(key)) is False  # idempotent re-put


def test_overwriting_a_locked_record_with_a_new_version_is_detected(
    s3_store: EvidenceStore, s3_client: Any, locked_bucket: str
) -> None:
    s3_store.record(results(3))
    digest = s3_store.index.records()[0].digest
    original = s3_store.backend.get(record_key(digest))
    s3_client.put_object(
        Bucket=locked_bucket,
        Key=f"evidence/{record_key(digest)}",
        Body=original[:-2] + b"}}",
        ContentMD5=__import__("base64").b64encode(hashlib.md5(original[:-2] + b"}}").digest()).decode(),
    )
    assert "edited" in {p.kind for p in verify_store(s3_store.backend, s3_store.trusted).problems}


def test_openssl_recipe_verifies_a_kms_signed_record(s3_store: EvidenceStore, tmp_path: Path) -> None:
    s3_store.record(results(1))
    digest = s3_store.index.records()[0].digest
    local = tmp_path / "pack"
    (local / "records" / "sha256").mkdir(parents=True)
    (local / "keys").mkdir()
    (local / record_key(digest)).write_bytes(s3_store.backend.get(record_key(digest)))
    (local / "keys" / f"{s3_store.signer.key_id}.pem").write_bytes(s3_store.signer.public_pem())
    proc = subprocess.run(
        ["sh", str(SCRIPT), str(local), digest],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0 and "Verified OK" in proc.stdout and "RECORD OK" in proc.stdout, proc.stderr
