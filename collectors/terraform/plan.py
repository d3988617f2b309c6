"""Read `terraform show -json` output: a saved plan (planned_values) or state (values)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.problems import Problem
from collectors.terraform.documents import DATA_TYPE, inline_plan_documents
from collectors.terraform.expressions import qualify
from collectors.terraform.model import UNKNOWN, TfResource


class PlanError(ValueError):
    """Not a Terraform plan or state in JSON form."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _mark_unknown(values: Any, unknown: Any) -> Any:
    """Replace every value the plan marks as known-after-apply with the UNKNOWN marker."""
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        base = dict(values) if isinstance(values, dict) else {}
        for key, flag in unknown.items():
            base[key] = _mark_unknown(base.get(key), flag)
        return base
    if isinstance(unknown, list) and isinstance(values, list | type(None)):
        items = list(values or [])
        items += [None] * (len(unknown) - len(items))
        return [_mark_unknown(v, u) for v, u in zip(items, unknown, strict=False)]
    return values


def _walk_modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _walk_modules(child)


def _config_refs(config_module: dict[str, Any], prefix: str = "") -> dict[str, dict[str, list[str]]]:
    """Per configuration address (no instance keys): configured attribute -> referenced base addresses."""
    found: dict[str, dict[str, list[str]]] = {}
    for res in config_module.get("resources", []):
        address = f"{prefix}.{res['address']}" if prefix else res["address"]
        found[address] = {
            attr: sorted({q for r in _expression_refs(expr) if (q := qualify(r, prefix))})
            for attr, expr in (res.get("expressions") or {}).items()
        }
    for name, call in (config_module.get("module_calls") or {}).items():
        child_prefix = f"{prefix}.module.{name}" if prefix else f"module.{name}"
        found.update(_config_refs(call.get("module") or {}, child_prefix))
    return found


def _expression_refs(expr: Any) -> Iterator[str]:
    if isinstance(expr, dict):
        yield from expr.get("references", [])
        for value in expr.values():
            if isinstance(value, dict | list):
                yield from _expression_refs(value)
    elif isinstance(expr, list):
        for item in expr:
            yield from _expression_refs(item)


def _provider_regions(doc: dict[str, Any]) -> dict[str, str | None]:
    variables = {k: v.get("value") for k, v in (doc.get("variables") or {}).items()}
    regions: dict[str, str | None] = {}
    for key, provider in ((doc.get("configuration") or {}).get("provider_config") or {}).items():
        region = ((provider.get("expressions") or {}).get("region")) or {}
        value = region.get("constant_value")
        for ref in region.get("references", []):
            if ref.startswith("var."):
                value = variables.get(ref[4:])
        regions[key] = value if isinstance(value, str) else None
    return regions


_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")


def read_plan(path: Path) -> tuple[list[TfResource], list[Problem]]:
    text = path.read_text(encoding="utf-8")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"not valid JSON: {exc.msg}", exc.lineno) from exc
    root = (
        (doc.get("planned_values") or doc.get("values") or {}).get("root_module")
        if isinstance(doc, dict)
        else None
    )
    if root is None:
        raise PlanError("not a `terraform show -json` plan or state (no planned_values.root_module)")
    unknown = {
        c["address"]: c.get("change", {}).get("after_unknown") for c in doc.get("resource_changes", [])
    }
    ctx = _PlanContext(
        path,
        unknown,
        _config_refs((doc.get("configuration") or {}).get("root_module") or {}),
        _provider_regions(doc),
        _address_lines(text),
    )
    resources = [ctx.resource(r) for r in _walk_modules(root) if r.get("mode", "managed") == "managed"]
    inline_plan_documents(resources, [ctx.resource(r) for r in _data_documents(doc, root)])
    return resources, []


def _data_documents(doc: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    """The policy document data sources: read at plan time (prior state) or deferred to apply (planned)."""
    prior = ((doc.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    found = {r["address"]: r for module in (prior, root) for r in _walk_modules(module) if _is_document(r)}
    return list(found.values())


def _is_document(res: dict[str, Any]) -> bool:
    return res.get("mode") == "data" and res.get("type") == DATA_TYPE


@dataclass
class _PlanContext:
    path: Path
    unknown: dict[str, Any]
    configured: dict[str, dict[str, list[str]]]
    regions: dict[str, str | None]
    lines: dict[str, int]

    def resource(self, res: dict[str, Any]) -> TfResource:
        address = res["address"]
        local = f"{'data.' if res.get('mode') == 'data' else ''}{res['type']}.{res['name']}"
        module = address[: -len(local) - len(_suffix(address))].rstrip(".")
        configured = self.configured.get(_INSTANCE_KEY.sub("", address), {})
        values = _mark_unknown(res.get("values") or {}, self.unknown.get(address))
        # an unknown value the configuration does not set is the provider's own (an id, the default VPC)
        values = {k: None if v == UNKNOWN and k not in configured else v for k, v in values.items()}
        provider = (res.get("provider_name") or "").rsplit("/", 1)[-1]
        return TfResource(
            address=address,
            type=res["type"],
            name=res["name"],
            module=module,
            values=values,
            file=str(self.path),
            line=self.lines.get(address),
            region=self.regions.get(provider),
            refs={k: v for k, v in configured.items() if v},
        )


def _suffix(address: str) -> str:
    match = re.search(r"(\[[^\]]*\])$", address)
    return match.group(1) if match else ""


def _address_lines(text: str) -> dict[str, int]:
    """Where each resource's `"address"` first appears in the plan file, for file:line reporting."""
    found: dict[str, int] = {}
    if text.count("\n") < 2:  # `terraform show -json` writes one line: no useful line numbers
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.search(r'"address":\s*"((?:[^"\\]|\\.)*)"', line)
        if match:
            found.setdefault(json.loads(f'"{match.group(1)}"'), number)
    return found
