"""Turn Terraform resource instances into ResourceSnapshots through the mappers."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache

from collectors.problems import Problem
from collectors.snapshot import ResourceSnapshot, SnapshotError, SourceLocation, make_snapshot
from collectors.terraform import mapping
from collectors.terraform.mapping.base import MapContext, Mapper
from collectors.terraform.model import TfModel, TfResource

COLLECTOR = "assay-terraform/0.1"


@cache
def mappers() -> dict[str, Mapper]:
    """Every module-level Mapper in collectors.terraform.mapping, by Terraform type."""
    found: dict[str, Mapper] = {}
    for info in pkgutil.iter_modules(mapping.__path__):
        module = importlib.import_module(f"{mapping.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Mapper):
                for tf_type in value.tf_types:
                    if tf_type in found and found[tf_type] is not value:
                        raise RuntimeError(f"two mappers for {tf_type}")
                    found[tf_type] = value
    return found


def _snapshot(
    res: TfResource, mapper: Mapper, model: TfModel, now: datetime, context: MapContext
) -> ResourceSnapshot:
    if mapper.snapshot is not None:
        return mapper.snapshot(res, model, context).model_copy(update={"collected_at": now})
    attributes = mapper.build(res, model)
    name = attributes.get(mapper.name_attribute) if mapper.name_attribute else None
    return make_snapshot(
        id=res.address,
        type=mapper.snapshot_type,
        source="iac",
        attributes=attributes,
        collector=COLLECTOR,
        raw={"address": res.address, "values": res.values},
        name=name if isinstance(name, str) else None,
        region=res.region or _location(res),
        unknown=tuple(res.unknown_attributes()),
        location=SourceLocation(file=res.file, line=res.line),
        collected_at=now,
    )


def _location(res: TfResource) -> str | None:
    location = res.values.get("location")
    return location if isinstance(location, str) and "${" not in location else None


def to_snapshots(
    model: TfModel, now: datetime | None = None, context: MapContext | None = None
) -> tuple[list[ResourceSnapshot], list[Problem]]:
    """Map every resource that has a mapper; a resource that cannot be mapped is a problem, not a gap."""
    now = now or datetime.now(UTC)
    context = context or MapContext()
    table = mappers()
    snapshots: list[ResourceSnapshot] = []
    problems: list[Problem] = []
    for res in _mapped(model, table):
        try:
            snapshots.append(_snapshot(res, table[res.type], model, now, context))
        except SnapshotError as exc:
            problems.append(Problem(res.file, res.line, f"{res.address}: {exc}"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(
                Problem(
                    res.file,
                    res.line,
                    f"{res.address}: could not be read ({type(exc).__name__}: {exc}); it is not judged",
                )
            )
    return snapshots, problems


def _mapped(model: TfModel, table: dict[str, Mapper]) -> Iterator[TfResource]:
    return (res for res in model.resources if res.type in table)
