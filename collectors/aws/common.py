"""Helpers the service modules share to turn API answers into snapshot attributes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def body(response: Mapping[str, Any]) -> dict[str, Any]:
    """A response without its ResponseMetadata (request id, date), so its digest depends on the content."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def compact(attributes: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values, so the schema default (what "unset" means in AWS) applies, as in the TF mappers."""
    return {k: v for k, v in attributes.items() if v is not None}


def json_object(value: Any) -> dict[str, Any] | None:
    """A JSON document given as text (a policy, an event pattern) as a dict; None if not a JSON object."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def tag_map(items: Any, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """AWS's [{"Key": k, "Value": v}] tag list (or an already flat mapping) as a dict."""
    if isinstance(items, Mapping):
        return {str(k): str(v) for k, v in items.items()}
    return {str(t[key]): str(t.get(value, "")) for t in items or () if key in t}
