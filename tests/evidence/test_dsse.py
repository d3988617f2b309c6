"""DSSE: the spec's test vector, round trips, and the type-confusion and tamper cases that must fail."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from evidence_store.canonical import canonical
from evidence_store.dsse import EnvelopeError, open_envelope, pae, sign_envelope, sign_statement
from evidence_store.signers import Ed25519Signer, PublicKey
from evidence_store.statement import Statement, Subject

# The DSSE protocol's published test vector (protocol.md, "Test Vectors").
VECTOR_D = 97358161215184420915383655311931858321456579547487070936769975997791359926199
VECTOR_SIG = "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="


class _VectorSigner:
    """ECDSA P-256 / SHA-256 with deterministic (RFC 6979) nonces and raw r||s, as the reference does."""

    algorithm = "ecdsa-p256-sha256"
    key_id = "vector"

    def __init__(self) -> None:
        self.key = ec.derive_private_key(VECTOR_D, ec.SECP256R1())

    def sign(self, message: bytes) -> bytes:
        r, s = decode_dss_signature(
            self.key.sign(message, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        )
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def test_pae_matches_the_spec_vector() -> None:
    assert (
        pae("http://example.com/HelloWorld", b"hello world")
        == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_signature_matches_the_spec_vector_and_verifies() -> None:
    signer = _VectorSigner()
    public = signer.key.public_key().public_numbers()
    assert public.x == 46950820868899156662930047687818585632848591499744589407958293238635476079160
    assert public.y == 5640078356564379163099075877009565129882514886557779369047442380624545832820
    envelope = json.loads(sign_envelope(b"hello world", signer, "http://example.com/HelloWorld"))
    assert envelope["payload"] == "aGVsbG8gd29ybGQ="
    assert envelope["signatures"][0]["sig"] == VECTOR_SIG
    message = pae("http://example.com/HelloWorld", b"hello world")
    assert PublicKey(signer.public_pem()).verify(base64.b64decode(VECTOR_SIG), message)


def test_pae_counts_bytes_not_characters() -> None:
    assert pae("t", "é".encode()) == b"DSSEv1 1 t 2 \xc3\xa9"


@pytest.fixture
def signed(tmp_path: object) -> tuple[bytes, dict[str, PublicKey]]:
    signer = Ed25519Signer.load_or_create(tmp_path / "k.pem")  # type: ignore[operator]
    statement = Statement("policy-result", (Subject("x", "a" * 64),), {"status": "pass", "note": "naïve"})
    return sign_statement(statement, signer), {signer.key_id: PublicKey(signer.public_pem())}


def test_round_trip(signed: tuple[bytes, dict[str, PublicKey]]) -> None:
    data, trusted = signed
    opened = open_envelope(data, trusted)
    assert opened.statement.kind == "policy-result" and opened.statement.predicate["note"] == "naïve"


def _mutate(data: bytes, **changes: object) -> bytes:
    envelope = json.loads(data)
    envelope.update(changes)
    return canonical(envelope)


def test_url_safe_base64_is_accepted(signed: tuple[bytes, dict[str, PublicKey]]) -> None:
    data, trusted = signed
    envelope = json.loads(data)
    urlsafe = base64.urlsafe_b64encode(base64.b64decode(envelope["payload"])).decode().rstrip("=")
    sig = envelope["signatures"][0]
    sig_urlsafe = base64.urlsafe_b64encode(base64.b64decode(sig["sig"])).decode()
    assert open_envelope(_mutate(data, payload=urlsafe, signatures=[{**sig, "sig": sig_urlsafe}]), trusted)


def test_type_confusion_is_rejected(signed: tuple[bytes, dict[str, PublicKey]]) -> None:
    data, trusted = signed
    with pytest.raises(EnvelopeError, match="does not verify"):
        open_envelope(_mutate(data, payloadType="application/vnd.other+json"), trusted)


@pytest.mark.parametrize("field", ["payload", "sig"])
def test_flipped_bit_is_rejected(signed: tuple[bytes, dict[str, PublicKey]], field: str) -> None:
    data, trusted = signed
    envelope = json.loads(data)
    target = envelope if field == "payload" else envelope["signatures"][0]
    raw = bytearray(base64.b64decode(target[field]))
    raw[len(raw) // 2] ^= 0x01
    target[field] = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(EnvelopeError):
        open_envelope(canonical(envelope), trusted)


def test_unknown_key_and_garbage_are_rejected(
    signed: tuple[bytes, dict[str, PublicKey]], tmp_path: object
) -> None:
    data, _ = signed
    other = Ed25519Signer.load_or_create(tmp_path / "other.pem")  # type: ignore[operator]
    with pytest.raises(EnvelopeError, match="unknown key"):
        open_envelope(data, {other.key_id: PublicKey(other.public_pem())})
    with pytest.raises(EnvelopeError, match="not a JSON envelope"):
        open_envelope(data[:-5], {})


def test_key_file_is_private_and_stable(tmp_path: object) -> None:
    path = tmp_path / "keys" / "signing.pem"  # type: ignore[operator]
    first = Ed25519Signer.load_or_create(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert Ed25519Signer.load_or_create(path).key_id == first.key_id
