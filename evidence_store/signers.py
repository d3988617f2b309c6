"""Signing keys: an Ed25519 key file (the embedded default) or an AWS KMS ECC_NIST_P256 key (production).

Public keys are PEM (SubjectPublicKeyInfo), so `openssl` verifies without Assay. A key id is derived from the
public key (or is the KMS key ARN), so several keys over time can all be told apart and all still verify.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

KMS_RAW_LIMIT = 4096  # KMS Sign takes at most 4096 bytes as RAW; larger messages are sent as their digest


class SignerError(ValueError):
    """A key that cannot be loaded or used."""


def key_id_for(public_pem: bytes, prefix: str) -> str:
    der = serialization.load_pem_public_key(public_pem).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f"{prefix}-{hashlib.sha256(der).hexdigest()[:16]}"


class Ed25519Signer:
    algorithm = "ed25519"

    def __init__(self, private_key: ed25519.Ed25519PrivateKey):
        self._key = private_key
        self.key_id = key_id_for(self.public_pem(), "ed25519")

    @classmethod
    def load_or_create(cls, path: Path) -> Ed25519Signer:
        """The key file at `path`, created on first use with mode 0600 (never world-readable)."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return cls.load_or_create(path)  # another process created it first
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError as exc:
            raise SignerError(f"{path}: not a PEM private key: {exc}") from exc
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise SignerError(f"{path}: not an Ed25519 private key")
        return cls(key)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def public_pem(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class KmsSigner:
    """An AWS KMS asymmetric key (ECC_NIST_P256, ECDSA_SHA_256); signatures are DER, as openssl expects."""

    algorithm = "ecdsa-p256-sha256"

    def __init__(self, client: Any, key_id: str):
        self._client = client
        try:
            response = client.get_public_key(KeyId=key_id)
        except (ClientError, BotoCoreError) as exc:
            raise SignerError(f"awskms:///{key_id}: cannot read the public key: {exc}") from exc
        spec = response.get("KeySpec") or response.get("CustomerMasterKeySpec")  # the older name, still sent
        if spec != "ECC_NIST_P256" or "ECDSA_SHA_256" not in response.get("SigningAlgorithms", []):
            raise SignerError(f"awskms:///{key_id}: expected an ECC_NIST_P256 key with ECDSA_SHA_256")
        self._arn = response["KeyId"]
        self._pem = serialization.load_der_public_key(response["PublicKey"]).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.key_id = key_id_for(self._pem, "kms")

    def sign(self, message: bytes) -> bytes:
        if len(message) <= KMS_RAW_LIMIT:
            args = {"Message": message, "MessageType": "RAW"}
        else:
            args = {"Message": hashlib.sha256(message).digest(), "MessageType": "DIGEST"}
        response = self._client.sign(KeyId=self._arn, SigningAlgorithm="ECDSA_SHA_256", **args)
        return bytes(response["Signature"])

    def public_pem(self) -> bytes:
        return self._pem


class PublicKey:
    """A trusted public key: verifies Ed25519, or ECDSA P-256 / SHA-256 (DER or raw r||s signatures)."""

    def __init__(self, pem: bytes):
        self.pem = pem
        key = serialization.load_pem_public_key(pem)
        if isinstance(key, ed25519.Ed25519PublicKey):
            # libsodium verifies Ed25519 in half the time OpenSSL takes, and verification is most of the cost
            # of `assay evidence verify --all`; it is also the stricter verifier (canonical encodings only)
            raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self._ed25519: VerifyKey | None = VerifyKey(raw)
            self._ecdsa: ec.EllipticCurvePublicKey | None = None
        elif isinstance(key, ec.EllipticCurvePublicKey):
            self._ed25519, self._ecdsa = None, key
        else:
            raise SignerError("only Ed25519 and ECDSA P-256 public keys are supported")

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            if self._ed25519 is not None:
                self._ed25519.verify(message, signature)
            elif self._ecdsa is not None:
                self._ecdsa.verify(_der(signature), message, ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, BadSignatureError, ValueError):
            return False
        return True


def _der(signature: bytes) -> bytes:
    """ECDSA signatures arrive DER-encoded (KMS, openssl) or as raw r||s (the DSSE reference vector)."""
    try:
        decode_dss_signature(signature)
    except ValueError:
        if len(signature) == 64:
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            return encode_dss_signature(r, s)
    return signature
