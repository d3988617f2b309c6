"""Building blocks for snapshot attribute schemas (the allow-lists)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

Source = Literal["iac", "runtime"]
BOTH: frozenset[Source] = frozenset({"iac", "runtime"})
RUNTIME_ONLY: frozenset[Source] = frozenset({"runtime"})


class Attrs(BaseModel):
    """Attributes of one snapshot type: anything not declared is refused, so nothing leaks in by accident."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class SnapshotType:
    name: str
    provider: Literal["aws", "azure", "kubernetes"]
    model: type[Attrs]
    sources: frozenset[Source]
    description: str


def type_table(
    provider: Literal["aws", "azure", "kubernetes"],
    entries: list[tuple[str, type[Attrs], frozenset[Source], str]],
) -> dict[str, SnapshotType]:
    return {
        name: SnapshotType(name, provider, model, sources, desc) for name, model, sources, desc in entries
    }
