"""Helpers shared by the azurerm mappers: renamed attributes, typed values and sibling joins by ARM id."""

from __future__ import annotations

import re
from typing import Any

from collectors.terraform.mapping.base import as_list, flag, known
from collectors.terraform.model import TfModel, TfResource

DIAGNOSTIC_SETTING = "azurerm_monitor_diagnostic_setting"


def first_set(res: TfResource, *names: str, source: dict[str, Any] | None = None) -> Any:
    """The value of the first attribute that is set, for attributes renamed between provider versions."""
    values = res.values if source is None else source
    for name in names:
        if values.get(name) is not None:
            return values[name]
    return None


def integer(value: Any) -> int | None:
    """An integer attribute, or None when unset, unresolved or not a number."""
    value = known(value)
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def text(value: Any) -> str | None:
    """A string attribute, or None when unset or unresolved."""
    value = known(value)
    return None if value is None else str(value)


def strings(value: Any) -> list[str]:
    """A list of strings: the statically known, non-empty items (plan JSON writes "" for unset)."""
    return [str(v) for v in as_list(known(value)) if known(v) is not None and str(v) != ""]


def with_known(attrs: dict[str, Any], **values: Any) -> dict[str, Any]:
    """`attrs` plus the values that are known; an unknown one is left out so the schema default applies."""
    attrs.update({k: v for k, v in values.items() if v is not None})
    return attrs


def resource_group_name(res: TfResource, model: TfModel) -> str | None:
    """The resource group's name: literal, or read from the `azurerm_resource_group` it references."""
    name = text(res.get("resource_group_name"))
    if name is not None:
        return name
    targets = set(res.refs.get("resource_group_name", ()))
    for group in model.of_type("azurerm_resource_group"):
        if group.base_address in targets:
            return text(group.get("name"))
    return None


def present(res: TfResource, key: str) -> bool:
    """True when the nested block `key` is written (even empty)."""
    return bool(res.blocks(key))


def arm_id_names(value: Any, arm_type: str) -> tuple[str, str | None] | None:
    """(name, resource group) of the `arm_type` resource named in a literal ARM id, if it names one.

    The id may point below the resource, as `.../storageAccounts/sa/blobServices/default` does.
    """
    value = known(value)
    if not isinstance(value, str):
        return None
    match = re.search(rf"/providers/{re.escape(arm_type)}/([^/]+)", value, re.IGNORECASE)
    if match is None:
        return None
    group = re.search(r"/resourceGroups/([^/]+)", value, re.IGNORECASE)
    return match.group(1), group.group(1) if group else None


def linked(
    model: TfModel, parent: TfResource, child_type: str, links: tuple[str, ...], arm_type: str
) -> list[TfResource]:
    """Resources of `child_type` attached to `parent` through any of the `links` attributes.

    A child is attached when the link references the parent (`${azurerm_key_vault.kv.id}`, with or without a
    suffix), equals the parent's literal name, or is a literal ARM id naming the parent (and its resource
    group, when both are known).
    """
    name = known(parent.get("name"))
    group = resource_group_name(parent, model)
    found: dict[str, TfResource] = {}
    for link in links:
        for child in model.children(parent, child_type, link, match_values=[name]):
            found[child.address] = child
        for child in model.of_type(child_type):
            named = arm_id_names(child.get(link), arm_type)
            if named is None or name is None or named[0].lower() != str(name).lower():
                continue
            if named[1] is None or group is None or named[1].lower() == str(group).lower():
                found[child.address] = child
    return [found[address] for address in sorted(found)]


def _log_category(block: dict[str, Any]) -> str | None:
    return text(block.get("category")) or text(block.get("category_group"))


def diagnostic_categories(res: TfResource, model: TfModel, arm_type: str) -> list[str]:
    """Log categories (or category groups) that diagnostic settings send for this resource.

    Read from `enabled_log` blocks (azurerm v3.4+) and legacy `log` blocks, which count only while enabled.
    Categories that are not statically known are left out.
    """
    found: set[str] = set()
    for setting in linked(model, res, DIAGNOSTIC_SETTING, ("target_resource_id",), arm_type):
        blocks = setting.blocks("enabled_log")
        blocks += [b for b in setting.blocks("log") if flag(b.get("enabled"), default=True)]
        found.update(c for c in map(_log_category, blocks) if c)
    return sorted(found)
