"""Helpers shared by the AWS mappers: tags, numbers, names, JSON documents and cross-resource lookups."""

from __future__ import annotations

import re
from typing import Any

from collectors.terraform.documents import json_document as json_document  # the one document reader
from collectors.terraform.mapping.base import as_list, known
from collectors.terraform.model import TfModel, TfResource, is_reference

# `${aws_s3_bucket.logs.arn}` or, inside a module, `${module.store.aws_s3_bucket.logs["a"].id}`
_BUCKET_REF = re.compile(
    r"\$\{((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)aws_s3_bucket\.([\w-]+)(\[[^\]]*\])?\.(arn|id|bucket)\}"
)


def compact(attributes: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values, so the schema's default (what "unset" means in AWS) applies."""
    return {k: v for k, v in attributes.items() if v is not None}


def tags(res: TfResource) -> dict[str, str]:
    """Resource tags, with provider default tags (`tags_all` in a plan) underneath the resource's own."""
    merged = res.mapping("tags_all") if isinstance(res.values.get("tags_all"), dict | list) else {}
    merged.update(res.mapping("tags"))
    return merged


def integer(value: Any) -> int | None:
    """A whole number, or None when unset, unknown or not a number."""
    value = known(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def text(value: Any) -> str | None:
    """A string attribute as written. A reference stays as its `${...}` text: it means "set to something"."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def strings(value: Any) -> list[str]:
    """A list attribute as strings (the HCL reader may hand a one-element list over as a bare value)."""
    return [str(v) for v in as_list(value) if v is not None and not isinstance(v, dict | list)]


def upper(value: Any) -> str | None:
    value = known(value)
    return str(value).upper() if value is not None else None


def name_or_address(res: TfResource, key: str) -> str:
    """The cloud name from `key`; Terraform generates one when it is unset, so fall back to the address."""
    value = text(res.values.get(key))
    return value if value else res.address


def referenced(
    res: TfResource, attr: str, model: TfModel, target_type: str, name_key: str
) -> TfResource | None:
    """The resource of `target_type` that `res.<attr>` points at, by reference or by its literal name.

    Among the instances of one count/for_each resource, the one with `res`'s own instance key wins.
    """
    targets = set(res.refs.get(attr, ()))
    literal = known(res.values.get(attr))
    found = [
        candidate
        for candidate in model.of_type(target_type)
        if candidate.base_address in targets
        or (
            literal is not None
            and candidate.module == res.module
            and candidate.values.get(name_key) == literal
        )
    ]
    preferred = [c for c in found if c.instance_key == res.instance_key]
    candidates = preferred or found
    return candidates[0] if candidates else None


def bucket_name(res: TfResource) -> str:
    """An S3 bucket's name, as the aws.s3.bucket snapshot of `res` carries it."""
    return name_or_address(res, "bucket")


def resolve_bucket_refs(value: str, model: TfModel) -> str:
    """Replace references to an S3 bucket's name or ARN by the bucket's name where the model holds it.

    A trail's `s3_bucket_name = aws_s3_bucket.trail.id` then names the same bucket as the bucket's own
    snapshot, and a data event selector on `"${aws_s3_bucket.evidence.arn}/"` becomes an ARN prefix.
    """

    def sub(match: re.Match[str]) -> str:
        module, label, key, attribute = (
            match.group(1).rstrip("."),
            match.group(2),
            match.group(3),
            match.group(4),
        )
        found = [b for b in model.of_type("aws_s3_bucket") if b.module == module and b.name == label]
        if key:  # one instance of a count/for_each bucket: a literal key names it, `[each.key]` does not
            found = [b for b in found if b.instance_key == key]
        if len(found) != 1 or is_reference(bucket_name(found[0])):
            return match.group(0)
        name = bucket_name(found[0])
        return f"arn:aws:s3:::{name}" if attribute == "arn" else name

    return _BUCKET_REF.sub(sub, value)
