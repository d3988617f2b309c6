"""ResourceSnapshot: the one resource model every collector emits and every policy reads."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collectors.schema import SNAPSHOT_TYPES

Provider = Literal["aws", "azure", "kubernetes"]
Source = Literal["iac", "runtime"]


class SnapshotError(ValueError):
    """Attributes that do not fit the snapshot type's allow-list."""


class SourceLocation(BaseModel):
    model_config = ConfigDict(frozen=True)
    file: str
    line: int | None = None


class UnknownAttribute(BaseModel):
    """An attribute (a path such as `ingress[0].cidr_ipv4`) whose value is not known, and why."""

    model_config = ConfigDict(frozen=True)
    path: str
    reason: str
    kind: Literal["bool", "int", "str", "list", "dict", "any"] = "any"


class Alternative(BaseModel):
    """One of the few values a conditional over an unknown can take: the attributes it sets, and when."""

    model_config = ConfigDict(frozen=True)
    label: str
    values: dict[str, Any]  # attribute path -> value in this alternative


class ResourceSnapshot(BaseModel):
    """One observed resource. `account` is the AWS account, Azure subscription or Kubernetes cluster."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    provider: Provider
    source: Source
    name: str | None = None
    account: str | None = None
    region: str | None = None
    attributes: dict[str, Any]
    unknown: tuple[UnknownAttribute, ...] = Field(
        default=(), description="attributes whose value is not known"
    )
    alternatives: tuple[Alternative, ...] = ()
    collected_at: datetime
    collector: str
    raw_sha256: str
    location: SourceLocation | None = None

    @property
    def unknown_paths(self) -> tuple[str, ...]:
        return tuple(u.path for u in self.unknown)


def sha256_json(value: object) -> str:
    """Digest of a JSON-able value in canonical form (sorted keys, no spaces, UTF-8)."""
    body = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def make_snapshot(
    *,
    id: str,
    type: str,
    source: Source,
    attributes: dict[str, Any],
    collector: str,
    raw: object,
    name: str | None = None,
    account: str | None = None,
    region: str | None = None,
    unknown: tuple[UnknownAttribute | str, ...] = (),
    alternatives: tuple[Alternative, ...] = (),
    location: SourceLocation | None = None,
    collected_at: datetime | None = None,
) -> ResourceSnapshot:
    """Validate `attributes` against the type's allow-list and build the snapshot.

    `raw` is the untouched API response or source block the attributes were read from; only its
    digest is kept.
    """
    spec = SNAPSHOT_TYPES.get(type)
    if spec is None:
        raise SnapshotError(f"unknown snapshot type {type!r}")
    try:
        clean = spec.model.model_validate(attributes).model_dump(mode="json")
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise SnapshotError(f"{type} {id}: attribute {loc}: {err['msg']}") from exc
    return ResourceSnapshot.model_construct(  # attributes were validated above; the rest is ours
        id=id,
        type=type,
        provider=spec.provider,
        source=source,
        name=name,
        account=account,
        region=region,
        attributes=clean,
        unknown=tuple(
            u if isinstance(u, UnknownAttribute) else UnknownAttribute(path=u, reason="it could not be read")
            for u in unknown
        ),
        alternatives=alternatives,
        collected_at=collected_at or datetime.now(UTC),
        collector=collector,
        raw_sha256=sha256_json(raw),
        location=location,
    )


def split_path(path: str) -> list[str | int]:
    """An attribute path as keys and indices: `ingress[0].cidr_ipv4` -> ["ingress", 0, "cidr_ipv4"]."""
    parts: list[str | int] = []
    for piece in path.split("."):
        name, _, rest = piece.partition("[")
        if name:
            parts.append(name)
        parts.extend(int(index.rstrip("]")) for index in rest.split("[") if rest)
    return parts


def value_at(value: Any, path: str) -> Any:
    """The value at an attribute path, or None where any step is absent."""
    for part in split_path(path):
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
    return value


def listed(texts: Iterable[str], limit: int = 3) -> str:
    """Distinct texts joined by "; ", the first `limit` of them, then how many more there are."""
    distinct = list(dict.fromkeys(texts))
    more = f" (+{len(distinct) - limit} more)" if len(distinct) > limit else ""
    return "; ".join(distinct[:limit]) + more
