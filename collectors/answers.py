"""What every collector asks of an API answer before it reads it: a body, JSON, an object."""

from __future__ import annotations

import json
from typing import Any


def json_object(body: bytes | str, where: str, error: type[Exception], status: int = 200) -> dict[str, Any]:
    """The JSON object in `body`; `error(...)` naming `where` for an empty, truncated or non-object body."""
    if not body.strip():
        raise error(f"{where} HTTP {status} with an empty body")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise error(f"{where} a body that is not JSON (truncated?): {exc}") from exc
    if not isinstance(document, dict):
        raise error(f"{where} a JSON {type(document).__name__}, not an object")
    return document
