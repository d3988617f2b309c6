"""DSSE envelopes: the signature covers PAE(payloadType, payload), so a signature cannot be replayed as
another type (CVE-2022-35929). Verification order follows the spec: decode, verify, check type, parse."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from evidence_store.canonical import canonical
from evidence_store.statement import PAYLOAD_TYPE, Statement, StatementError, parse_statement


class EnvelopeError(ValueError):
    """An envelope that does not decode, is not signed by a trusted key, or carries the wrong payload."""


class Signer(Protocol):
    key_id: str
    algorithm: str

    def sign(self, message: bytes) -> bytes: ...

    def public_pem(self) -> bytes: ...


class Verifier(Protocol):
    def verify(self, signature: bytes, message: bytes) -> bool: ...


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSEv1 SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes, decimal."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not: verifiers must accept either."""
    padded = text + "=" * (-len(text) % 4)
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EnvelopeError(f"invalid base64: {exc}") from exc


def sign_envelope(payload: bytes, signer: Signer, payload_type: str = PAYLOAD_TYPE) -> bytes:
    """The envelope as canonical JSON bytes: what is stored, and what the record's digest is over."""
    signature = signer.sign(pae(payload_type, payload))
    envelope = {
        "payload": base64.b64encode(payload).decode(),
        "payloadType": payload_type,
        "signatures": [{"keyid": signer.key_id, "sig": base64.b64encode(signature).decode()}],
    }
    return canonical(envelope)


def sign_statement(statement: Statement, signer: Signer) -> bytes:
    return sign_envelope(canonical(statement.to_json()), signer)


@dataclass(frozen=True)
class Opened:
    statement: Statement
    key_id: str
    signature: str  # base64, as stored: the next checkpoint chains it
    payload: bytes


def decode_envelope(data: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeError(f"not a JSON envelope: {exc}") from exc
    if not isinstance(envelope, dict) or not isinstance(envelope.get("signatures"), list):
        raise EnvelopeError("not a DSSE envelope (payload, payloadType, signatures)")
    if not isinstance(envelope.get("payload"), str) or not isinstance(envelope.get("payloadType"), str):
        raise EnvelopeError("not a DSSE envelope (payload, payloadType, signatures)")
    return envelope


def open_envelope(data: bytes, trusted: Mapping[str, Verifier]) -> Opened:
    """Verify against trusted keys first; only then look at the payload type and parse the statement."""
    envelope = decode_envelope(data)
    payload = b64decode(envelope["payload"])
    message = pae(envelope["payloadType"], payload)
    accepted = None
    for entry in envelope["signatures"]:
        key_id = entry.get("keyid") if isinstance(entry, dict) else None
        verifier = trusted.get(str(key_id))
        if verifier is not None and verifier.verify(b64decode(str(entry.get("sig", ""))), message):
            accepted = entry
            break
    if accepted is None:
        ids = [e.get("keyid") for e in envelope["signatures"] if isinstance(e, dict)]
        known = [i for i in ids if i in trusted]
        reason = "signature does not verify" if known else f"signed by unknown key(s) {ids}"
        raise EnvelopeError(reason)
    if envelope["payloadType"] != PAYLOAD_TYPE:
        raise EnvelopeError(f"unsupported payloadType {envelope['payloadType']!r}")
    try:
        statement = parse_statement(json.loads(payload))
    except (UnicodeDecodeError, json.JSONDecodeError, StatementError) as exc:
        raise EnvelopeError(f"payload is not an Assay statement: {exc}") from exc
    return Opened(statement, str(accepted["keyid"]), str(accepted["sig"]), payload)
