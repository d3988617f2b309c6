"""Turn Terraform resource instances into ResourceSnapshots through the mappers."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import cache
from typing import Any

from collectors.problems import Problem
from collectors.schema import SNAPSHOT_TYPES
from collectors.snapshot import ResourceSnapshot, SnapshotError, SourceLocation, make_snapshot
from collectors.terraform import mapping
from collectors.terraform.mapping.base import MapContext, Mapper
from collectors.terraform.model import TfModel, TfResource
from collectors.terraform.orphans import ambiguous_joins, partial_unknowns, sibling_links, stand_ins
from collectors.terraform.probing import changed_paths, probe

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


def _validator(snapshot_type: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    model = SNAPSHOT_TYPES[snapshot_type].model
    return lambda attributes: model.model_validate(attributes).model_dump(mode="json")


def _snapshot(
    res: TfResource,
    mapper: Mapper,
    model: TfModel,
    now: datetime,
    context: MapContext,
    stand_in: bool = False,
) -> ResourceSnapshot:
    if mapper.snapshot is not None:
        return mapper.snapshot(res, model, context).model_copy(update={"collected_at": now})
    attributes = mapper.build(res, model)
    validate = _validator(mapper.snapshot_type)
    probed = probe(res, mapper.build, model, attributes, validate)
    unknown = probed.unknown
    if stand_in:  # a parent the tree does not define: all that its children do not say is unknown
        known = {u.path for u in unknown}
        unknown += tuple(
            u for u in partial_unknowns(res, mapper.build, model, attributes, validate) if u.path not in known
        )
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
        unknown=unknown,
        alternatives=probed.alternatives,
        location=SourceLocation(file=res.file, line=res.line),
        collected_at=now,
    )


def _location(res: TfResource) -> str | None:
    location = res.values.get("location")
    return location if isinstance(location, str) and "${" not in location else None


def to_snapshots(
    model: TfModel, now: datetime | None = None, context: MapContext | None = None
) -> tuple[list[ResourceSnapshot], list[Problem]]:
    """Map every resource that has a mapper; a resource that cannot be mapped is a problem, not a gap.

    Siblings joined to several parents by a shared literal name are joined to none (and reported), and
    children whose parent is not in the tree are judged on a stand-in for it.
    """
    now = now or datetime.now(UTC)
    context = context or MapContext()
    table = mappers()
    snapshots: dict[str, ResourceSnapshot] = {}
    problems: list[Problem] = []
    for res in _mapped(model, table):
        _map_one(res, table[res.type], model, (now, context), snapshots, problems)
    ambiguous = ambiguous_joins(model)
    if ambiguous:
        problems += ambiguous
        again = {p for c in model.excluded for p in model.merged.pop(c, set())}
        for res in (r for r in model.resources if r.address in again):
            model.joined[res.address] = [
                c for c in model.joined.get(res.address, []) if c.address not in model.excluded
            ]
            _map_one(res, table[res.type], model, (now, context), snapshots, problems)
    for parent in stand_ins(model, sibling_links(tuple(sorted(table.items())))):
        _map_one(parent, table[parent.type], model, (now, context), snapshots, problems, stand_in=True)
    return list(snapshots.values()), problems


def _map_one(
    res: TfResource,
    mapper: Mapper,
    model: TfModel,
    when: tuple[datetime, MapContext],
    snapshots: dict[str, ResourceSnapshot],
    problems: list[Problem],
    stand_in: bool = False,
) -> None:
    try:
        snapshots[res.address] = _snapshot(res, mapper, model, *when, stand_in)
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


def _mapped(model: TfModel, table: dict[str, Mapper]) -> Iterator[TfResource]:
    return (res for res in model.resources if res.type in table)


class Parts:
    """The sibling resources merged into each snapshot, and the snapshot as it would be without one of them:
    what tells which resource a user must edit when a verdict comes from a merged part."""

    def __init__(self, model: TfModel):
        self.model = model
        self._by_address = {r.address: r for r in [*model.resources, *model.stand_ins]}

    def of(self, snapshot_id: str) -> list[TfResource]:
        return list(self.model.joined.get(snapshot_id, ()))

    def contributed(self, snapshot_id: str, child: TfResource, mapped: dict[str, Any]) -> dict[str, Any]:
        """The attribute paths (with kinds) `child` sets on the snapshot: those that change when each of its
        values is changed, whether or not its absence would show (an AES256 rule, as S3's default)."""
        parent = self._by_address.get(snapshot_id)
        mapper = mappers().get(parent.type) if parent else None
        if parent is None or mapper is None or mapper.snapshot is not None:
            return {}
        original = child.values
        try:
            child.values = _altered(original)
            altered = _validator(mapper.snapshot_type)(mapper.build(parent, self.model))
        finally:
            child.values = original
        return changed_paths(mapped, altered)

    def without(self, snapshot_id: str, child: TfResource) -> dict[str, Any] | None:
        """The snapshot's attributes had `child` not been written; None if it cannot be mapped again."""
        parent = self._by_address.get(snapshot_id)
        mapper = mappers().get(parent.type) if parent else None
        if parent is None or mapper is None or mapper.snapshot is not None:
            return None
        with self.model.excluding([child.address]):
            return _validator(mapper.snapshot_type)(mapper.build(parent, self.model))


def _altered(value: Any) -> Any:
    """Every literal leaf changed (text, numbers, flags): what a mapper reads from it changes too."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 7919
    if isinstance(value, str):
        return value if "${" in value else f"{value}-assay-altered"
    if isinstance(value, list):
        return [_altered(v) for v in value]
    if isinstance(value, dict):
        return {k: _altered(v) for k, v in value.items()}
    return value
