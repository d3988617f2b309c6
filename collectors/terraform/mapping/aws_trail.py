"""CloudTrail trails: status, storage and what they record (basic and advanced event selectors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from collectors.terraform.mapping.aws_common import (
    compact,
    name_or_address,
    resolve_bucket_refs,
    strings,
    tags,
    text,
)
from collectors.terraform.mapping.base import flag, known, mapper
from collectors.terraform.model import TfModel, TfResource

S3_OBJECTS = "AWS::S3::Object"
ALL_BUCKETS = "arn:aws:s3"  # CloudTrail's own spelling of "every bucket" in a data resource
_EXCLUDING_OPERATORS = ("not_equals", "not_starts_with", "ends_with", "not_ends_with")


@dataclass
class _Recorded:
    """What a trail's selectors record: management event read/write types and data event selectors."""

    management: set[str] = field(default_factory=set)
    data: list[dict[str, Any]] = field(default_factory=list)

    def management_attributes(self) -> dict[str, Any]:
        if not self.management:
            return {"management_events": False}
        both = "All" in self.management or {"ReadOnly", "WriteOnly"} <= self.management
        rw_type = "All" if both else next(iter(self.management))
        return {"management_events": True, "management_read_write_type": rw_type}


def _arn_values(values: list[str], model: TfModel) -> list[str]:
    return [resolve_bucket_refs(v, model) for v in values]


def _basic(res: TfResource, model: TfModel, recorded: _Recorded) -> None:
    for selector in res.blocks("event_selector"):
        rw_type = text(known(selector.get("read_write_type"))) or "All"
        if flag(selector.get("include_management_events"), default=True):
            recorded.management.add(rw_type)
        for resource in res.blocks("data_resource", source=selector):
            values = _arn_values(strings(resource.get("values")), model)
            kind = text(known(resource.get("type")))
            if kind:
                recorded.data.append({"resource_type": kind, "values": values, "read_write_type": rw_type})


def _advanced_rw_type(selector: dict[str, Any]) -> str:
    read_only = [v.lower() for v in strings(selector.get("equals"))]
    if read_only == ["true"]:
        return "ReadOnly"
    if read_only == ["false"]:
        return "WriteOnly"
    return "All"


def _advanced_data(fields: dict[str, dict[str, Any]], rw_type: str, model: TfModel) -> list[dict[str, Any]]:
    """Data selectors of one advanced selector. Exclusion-only ARN filters are not counted as coverage."""
    arn = fields.get("resources.ARN", {})
    values = _arn_values(strings(arn.get("starts_with")) + strings(arn.get("equals")), model)
    if not values and any(arn.get(op) for op in _EXCLUDING_OPERATORS):
        return []
    found = []
    for kind in strings(fields.get("resources.type", {}).get("equals")):
        kind_values = values or ([ALL_BUCKETS] if kind == S3_OBJECTS else [])
        found.append({"resource_type": kind, "values": kind_values, "read_write_type": rw_type})
    return found


def _advanced(res: TfResource, model: TfModel, recorded: _Recorded) -> None:
    for selector in res.blocks("advanced_event_selector"):
        fields = {str(known(f.get("field"))): f for f in res.blocks("field_selector", source=selector)}
        categories = strings(fields.get("eventCategory", {}).get("equals"))
        rw_type = _advanced_rw_type(fields.get("readOnly", {}))
        if "Management" in categories:
            recorded.management.add(rw_type)
        if "Data" in categories:
            recorded.data.extend(_advanced_data(fields, rw_type, model))


def _selectors(res: TfResource, model: TfModel) -> dict[str, Any]:
    if not res.blocks("event_selector") and not res.blocks("advanced_event_selector"):
        return {}  # no selectors: CloudTrail records all management events and no data events
    recorded = _Recorded()
    _basic(res, model, recorded)
    _advanced(res, model, recorded)
    return {**recorded.management_attributes(), "data_events": recorded.data}


@mapper("aws_cloudtrail", snapshot_type="aws.cloudtrail.trail", name_attribute="name")
def cloudtrail(res: TfResource, model: TfModel) -> dict[str, Any]:
    bucket = text(res.values.get("s3_bucket_name"))
    return compact(
        {
            "name": name_or_address(res, "name"),
            "home_region": res.region,
            "is_multi_region_trail": flag(res.values.get("is_multi_region_trail")),
            "include_global_service_events": flag(
                res.values.get("include_global_service_events"), default=True
            ),
            "is_logging": flag(res.values.get("enable_logging"), default=True),
            "log_file_validation_enabled": flag(res.values.get("enable_log_file_validation")),
            "kms_key_id": text(res.values.get("kms_key_id")),
            "s3_bucket_name": resolve_bucket_refs(bucket, model) if bucket else None,
            "cloud_watch_logs_log_group_arn": text(res.values.get("cloud_watch_logs_group_arn")),
            **_selectors(res, model),
            "tags": tags(res),
        }
    )
