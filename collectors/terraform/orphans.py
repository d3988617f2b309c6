"""Children without their parent: a rule on an existing security group, a listener on a load balancer made
elsewhere. Each is judged on a partial snapshot of the parent type, whose identity is the reference the
child names (`var.shared_sg_id`, `data.aws_security_group.app`, a literal id) and which holds only what the
tree declares: what the children set is known, everything else about the parent is unknown."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

from collectors.problems import Problem
from collectors.snapshot import UnknownAttribute
from collectors.terraform.mapping.base import Mapper
from collectors.terraform.model import TfModel, TfResource
from collectors.terraform.probing import Kind, kind_of

# links that name any kind of resource (an ARN, an Azure id): their parent's type cannot be told
_GENERIC_LINKS = frozenset({"resource_arn", "target_resource_id", "resource_id"})
_REF = re.compile(r"^\$\{(.+)\}$")


@cache
def sibling_links(table: tuple[tuple[str, Mapper], ...]) -> dict[str, tuple[str, str]]:
    """Child type -> (parent type, link attribute), learnt by mapping one empty resource of each type.

    A child type that several parent types claim (diagnostic settings) has no single parent: left out.
    """
    claims: dict[str, set[tuple[str, str]]] = defaultdict(set)
    primary = {id(mapper): mapper.tf_types[0] for _, mapper in table}  # aws_security_group, not its default
    for tf_type, mapper in table:
        if (
            tf_type != primary[id(mapper)] or mapper.snapshot is not None
        ):  # Kubernetes objects have no siblings
            continue
        model = TfModel([])
        mapper.build(
            TfResource(address=f"{tf_type}.x", type=tf_type, name="x", module="", values={}, file=""), model
        )
        for parent, child, link in model.requests:
            if link not in _GENERIC_LINKS:
                claims[child].add((parent, link))
    return {
        child: next(iter(parents)) for child, parents in claims.items() if len({p for p, _ in parents}) == 1
    }


def identity(child: TfResource, link: str) -> str | None:
    """What the child names its parent by: the reference without `${}` (module-qualified) or the literal."""
    value = child.values.get(link)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not value:
        return None
    match = _REF.match(value)
    if match is None:
        return value
    inner = match.group(1)
    if inner.startswith(("var.", "local.", "data.")) and child.module:
        inner = f"{child.module}.{inner}"
    for suffix in (
        ".id",
        ".arn",
        ".name",
    ):  # `data.aws_security_group.app.id` names data.aws_security_group.app
        if inner.endswith(suffix) and inner.count(".") >= 2:
            return inner[: -len(suffix)]
    return inner


def stand_ins(model: TfModel, links: dict[str, tuple[str, str]]) -> list[TfResource]:
    """A stand-in parent per (parent type, identity) that children name but the tree does not define."""
    groups: dict[tuple[str, str, str], list[TfResource]] = defaultdict(list)
    for res in model.resources:
        if res.type not in links or res.address in model.merged or res.address in model.excluded:
            continue
        parent_type, link = links[res.type]
        name = identity(res, link)
        if name is not None:
            groups[(parent_type, name, res.module)].append(res)
    parents = []
    for (parent_type, name, module), children in groups.items():
        parent = TfResource(
            address=name,
            type=parent_type,
            name=name,
            module=module,
            values={},
            file=children[0].file,
            line=children[0].line,
            region=children[0].region,
        )
        model.adopt(parent, children)
        model.stand_ins.append(parent)
        parents.append(parent)
    return parents


def partial_unknowns(
    parent: TfResource,
    build: Callable[[TfResource, TfModel], dict[str, Any]],
    model: TfModel,
    mapped: dict[str, Any],
    validate: Callable[[dict[str, Any]], dict[str, Any]],
) -> tuple[UnknownAttribute, ...]:
    """Every top-level attribute of a stand-in parent that its children do not set."""
    children = model.joined.get(parent.address, [])
    with model.excluding(c.address for c in children):
        alone = validate(build(parent, model))
    full = validate(mapped)
    reason = (
        f"{parent.address} is not defined in this tree: only what "
        f"{', '.join(sorted({c.type for c in children}))} declare about it is known"
    )
    return tuple(
        UnknownAttribute(path=key, reason=reason, kind=_kind(full.get(key)))
        for key in sorted(full)
        if full.get(key) == alone.get(key)
    )


def _kind(value: Any) -> Kind:
    return kind_of(value) or "any"


def ambiguous_joins(model: TfModel) -> list[Problem]:
    """Children joined by a literal name that several parents share: joined to none, and reported."""
    problems = []
    by_address = {r.address: r for r in model.resources}
    for child_address, parents in sorted(model.literal_joins.items()):
        if len(parents) < 2:
            continue
        child = by_address[child_address]
        model.excluded.add(child_address)
        problems.append(
            Problem(
                child.file,
                child.line,
                f"{child_address}: its literal name matches {len(parents)} resources "
                f"({', '.join(sorted(parents)[:4])}); it is joined to none of them: refer to the one it "
                "belongs to (e.g. aws_s3_bucket.x.id)",
                level="warning",
            )
        )
    return problems
