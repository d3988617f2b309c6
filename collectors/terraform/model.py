"""The Terraform reader's intermediate model: one TfResource per resource instance, HCL or plan alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from collectors.terraform.unknown import AFTER_APPLY, Unknown

UNKNOWN = Unknown("(known after apply)", (AFTER_APPLY,))


def is_reference(value: object) -> bool:
    """True for a value Terraform cannot know before apply: an unresolved `${...}` or a computed value."""
    return isinstance(value, str) and (value == UNKNOWN or "${" in value)


@dataclass
class TfResource:
    """One resource instance.

    `values` is normalised the same way for HCL and plan JSON: attributes are plain values, nested blocks
    are lists of dicts, and anything unresolved is a string: `${aws_kms_key.data.arn}` for a reference,
    `(known after apply)` for a computed plan value. `refs` maps attribute names to the resource addresses
    they reference (module-qualified, instance keys stripped), so siblings can be joined to their parent.
    """

    address: str
    type: str
    name: str
    module: str
    values: dict[str, Any]
    file: str
    line: int | None = None
    region: str | None = None
    refs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def base_address(self) -> str:
        """The address without instance key: module.net.aws_subnet.a for module.net.aws_subnet.a[0]."""
        prefix = f"{self.module}." if self.module else ""
        return f"{prefix}{self.type}.{self.name}"

    @property
    def instance_key(self) -> str:
        """The instance key of a count/for_each instance (`[0]`, `["a"]`), or "" for a single resource."""
        match = _INSTANCE_KEY.search(self.address)
        return match.group(1) if match else ""

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def blocks(self, key: str, source: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Nested blocks (or an object attribute) under `key`, always as a list of dicts."""
        value = (self.values if source is None else source).get(key)
        if isinstance(value, dict):
            return [value]
        if isinstance(value, list):
            return [v for v in value if isinstance(v, dict)]
        return []

    def block(self, key: str, source: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first nested block under `key`, or an empty dict."""
        found = self.blocks(key, source)
        return found[0] if found else {}

    def mapping(self, key: str) -> dict[str, str]:
        """A map attribute such as `tags`, with values as strings."""
        found = self.blocks(key)
        merged: dict[str, Any] = {}
        for item in found:
            merged.update(item)
        return {str(k): str(v) for k, v in merged.items() if not str(k).startswith("__")}


@dataclass
class TfModel:
    """Every resource instance read from one directory tree or plan, indexed for sibling joins."""

    resources: list[TfResource]
    _by_type: dict[str, list[TfResource]] = field(default_factory=dict, init=False, repr=False)
    _links: dict[tuple[str, str], tuple[_Index, _Index]] = field(default_factory=dict, init=False, repr=False)
    merged: dict[str, set[str]] = field(
        default_factory=dict, init=False
    )  # sibling address -> parent addresses
    joined: dict[str, list[TfResource]] = field(default_factory=dict, init=False, repr=False)  # the reverse
    requests: set[tuple[str, str, str]] = field(
        default_factory=set, init=False, repr=False
    )  # (parent, child, link) types
    literal_joins: dict[str, set[str]] = field(
        default_factory=dict, init=False, repr=False
    )  # child -> parents by name
    excluded: set[str] = field(
        default_factory=set, init=False, repr=False
    )  # children whose join is ambiguous
    _adopted: dict[str, list[TfResource]] = field(default_factory=dict, init=False, repr=False)
    stand_ins: list[TfResource] = field(default_factory=list, init=False, repr=False)  # parents not in tree
    indexes: dict[str, Any] = field(default_factory=dict, init=False, repr=False)  # built once, by mappers

    def __post_init__(self) -> None:
        for res in self.resources:
            self._by_type.setdefault(res.type, []).append(res)

    def inline_literal_references(self) -> None:
        """Replace `${type.name.attr}` by the value when that resource sets `attr` to a literal.

        `location = azurerm_resource_group.dr.location` becomes "eastus2", so regions and names that
        Terraform would know at plan time are known here too. References stay in `refs` for sibling joins.
        """
        single: dict[str, TfResource] = {}
        for res in self.resources:
            single[res.base_address] = res if res.base_address not in single else _AMBIGUOUS
        for res in self.resources:
            for key, value in res.values.items():
                match = _WHOLE_REF.match(value) if isinstance(value, str) else None
                target = single.get(match.group(1)) if match else None
                if match and target is not None and target is not _AMBIGUOUS:
                    literal = target.values.get(match.group(2))
                    if isinstance(literal, str | int | bool) and not is_reference(literal):
                        res.values[key] = literal

    @contextmanager
    def excluding(self, addresses: Iterable[str]) -> Iterator[None]:
        """Joins made meanwhile leave these children out (to map a parent as it would be without them)."""
        kept = self.excluded
        self.excluded = kept | set(addresses)
        try:
            yield
        finally:
            self.excluded = kept

    def adopt(self, parent: TfResource, children: Iterable[TfResource]) -> None:
        """Join `children` to `parent` explicitly: a parent that is not in the tree, stood in for."""
        self._adopted.setdefault(parent.address, []).extend(children)

    def of_type(self, *types: str) -> Iterator[TfResource]:
        for t in types:
            yield from self._by_type.get(t, ())

    def children(
        self, parent: TfResource, child_type: str, link: str, match_values: Iterable[object] = ()
    ) -> list[TfResource]:
        """Resources of `child_type` whose attribute `link` points at `parent`.

        A child matches when its `link` attribute references the parent's address (from any module, through
        module outputs too), or when, in the same module, its literal value equals one of `match_values`
        (the parent's name, id or ARN where literal). Among count/for_each instances, a child belongs to the
        parent instance with its own key, or to the one its link names explicitly.
        """
        self.requests.add((parent.type, child_type, link))
        by_ref, by_literal = self._link_index(child_type, link)
        found = list(by_ref.get(parent.base_address, ()))
        found += [c for c in self._adopted.get(parent.address, ()) if c.type == child_type and c not in found]
        for value in match_values:
            if isinstance(value, str | int) and not is_reference(value):
                for child in by_literal.get((parent.module, value), ()):
                    if child not in found and not child.refs.get(link):  # a reference joins first
                        self.literal_joins.setdefault(child.address, set()).add(parent.address)
                        found.append(child)
        found = [c for c in found if _same_instance(c, parent, link) and c.address not in self.excluded]
        joined = self.joined.setdefault(parent.address, [])
        for child in found:
            self.merged.setdefault(child.address, set()).add(parent.address)
            if child not in joined:
                joined.append(child)
        return found

    def _link_index(self, child_type: str, link: str) -> tuple[_Index, _Index]:
        """Children of one type by referenced address and by (module, literal value): built once, O(n)."""
        key = (child_type, link)
        if key not in self._links:
            by_ref: dict[object, list[TfResource]] = {}
            by_literal: dict[object, list[TfResource]] = {}
            for child in self._by_type.get(child_type, ()):
                for address in child.refs.get(link, ()):
                    by_ref.setdefault(address, []).append(child)
                value = child.values.get(link)
                if isinstance(value, str | int) and not is_reference(value):
                    by_literal.setdefault((child.module, value), []).append(child)
            self._links[key] = (by_ref, by_literal)
        return self._links[key]


def _same_instance(child: TfResource, parent: TfResource, link: str) -> bool:
    """Whether `child` belongs to this instance of `parent` rather than to another instance.

    References are joined by base address, so `bucket = aws_s3_bucket.this[each.key].id` matches every
    instance of the bucket; the instance is then told by the sibling's own key (for_each/count over the
    same keys) or by an explicit `aws_s3_bucket.this["a"]` in the link.
    """
    key = parent.instance_key
    if not key:
        return True
    link_text = str(child.values.get(link))
    if f"{parent.base_address}{key}" in link_text:
        return True
    if child.instance_key:
        return child.instance_key == key
    return f"{parent.base_address}[" not in link_text


_Index = dict[object, list[TfResource]]
_INSTANCE_KEY = re.compile(r"(\[[^\[\]]*\])$")
_WHOLE_REF = re.compile(r"^\$\{((?:module\.[\w-]+\.)*[a-z][a-z0-9]*_[\w-]+\.[\w-]+)\.([\w-]+)\}$")
_AMBIGUOUS = TfResource(address="", type="", name="", module="", values={}, file="")
