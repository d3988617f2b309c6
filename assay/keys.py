"""Signing keys from settings: the current signer (an Ed25519 key file or AWS KMS) and every public key this
installation has ever signed with, which verification trusts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assay.settings import Settings
from evidence_store.dsse import Signer, Verifier
from evidence_store.signers import Ed25519Signer, KmsSigner, PublicKey


def _client(service: str, settings: Settings) -> Any:
    import boto3  # only when KMS is the signer: boto3 is slow to import
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=30)
    return boto3.client(
        service, endpoint_url=settings.aws_endpoint_url, region_name=settings.aws_region, config=config
    )


def open_signer(settings: Settings) -> Signer:
    if settings.signing.startswith("awskms:///"):
        return KmsSigner(_client("kms", settings), settings.signing.removeprefix("awskms:///"))
    return Ed25519Signer.load_or_create(Path(settings.signing))


def trusted_keys(settings: Settings, signer: Signer | None = None) -> dict[str, Verifier]:
    """Every public key this installation has signed with (rotation keeps old ones), plus the current one."""
    directory = settings.home / "keys" / "trusted"
    directory.mkdir(parents=True, exist_ok=True)
    if signer is not None:
        path = directory / f"{signer.key_id}.pem"
        if not path.exists():
            path.write_bytes(signer.public_pem())
    return {p.stem: PublicKey(p.read_bytes()) for p in sorted(directory.glob("*.pem"))}
