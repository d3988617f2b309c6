"""SDK errors as the collector reports them: a code, a one-line message, and what the error means for
the calls still to come (credentials rejected, endpoint unreachable, or just this call)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
)
from botocore.exceptions import ConnectionError as SdkConnectionError

MESSAGE_LIMIT = 300

# Error codes meaning the credentials themselves were refused: retrying other calls with them is pointless.
REJECTED_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "AuthFailure",
        "SignatureDoesNotMatch",
    }
)
_CREDENTIAL_ERRORS = (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError)
_UNREACHABLE_ERRORS = (SdkConnectionError, HTTPClientError)

ErrorKind = Literal["rejected", "unreachable", "skipped", "other"]


class ApiError(Exception):
    """An SDK call that failed after the client's own retries."""

    def __init__(
        self, service: str, operation: str, region: str | None, code: str, message: str, kind: ErrorKind
    ):
        super().__init__(f"{service}:{operation} in {region or 'global'}: {code}: {message}")
        self.service = service
        self.operation = operation
        self.region = region
        self.code = code
        self.message = message
        self.kind = kind

    @property
    def error(self) -> str:
        return f"{self.code}: {self.message}"

    @property
    def ends_step(self) -> bool:
        return self.kind != "other"


def _one_line(text: str) -> str:
    """An error message fit for a report line: whitespace collapsed, at most MESSAGE_LIMIT characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MESSAGE_LIMIT else flat[: MESSAGE_LIMIT - 1] + "…"


def classify(exc: ClientError | BotoCoreError) -> tuple[str, str, ErrorKind]:
    """(code, message, kind) of an SDK error."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Unknown")
        message = _one_line(str(error.get("Message") or exc))
        return code, message, "rejected" if code in REJECTED_CODES else "other"
    code, message = type(exc).__name__, _one_line(str(exc))
    if isinstance(exc, _CREDENTIAL_ERRORS):
        return code, message, "rejected"
    if isinstance(exc, _UNREACHABLE_ERRORS):
        return code, message, "unreachable"
    return code, message, "other"


def retry_count(response: Mapping[str, Any]) -> int:
    return int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
