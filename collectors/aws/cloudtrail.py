"""CloudTrail trails: configuration, logging status, tags and what they record (basic and advanced selectors).

Each region reports the trails homed there; a multi-region trail homed in a region outside the collection
is reported by the first collected region, so it is seen once and never missed. Status and selectors are
always read from the trail's home region. What the selectors record is read as the Terraform mapper does.
"""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body, compact, tag_map

TRAIL = "aws.cloudtrail.trail"
S3_OBJECTS = "AWS::S3::Object"
ALL_BUCKETS = "arn:aws:s3"
_EXCLUDING_OPERATORS = ("NotEquals", "NotStartsWith", "EndsWith", "NotEndsWith")


def _management(read_write_types: set[str]) -> dict[str, Any]:
    if not read_write_types:
        return {"management_events": False}
    both = "All" in read_write_types or {"ReadOnly", "WriteOnly"} <= read_write_types
    return {
        "management_events": True,
        "management_read_write_type": "All" if both else next(iter(read_write_types)),
    }


def _basic(selectors: list[dict[str, Any]], management: set[str], data: list[dict[str, Any]]) -> None:
    for selector in selectors:
        rw_type = selector.get("ReadWriteType") or "All"
        if selector.get("IncludeManagementEvents", True):
            management.add(rw_type)
        for resource in selector.get("DataResources") or ():
            if resource.get("Type"):
                values = list(resource.get("Values") or ())
                data.append({"resource_type": resource["Type"], "values": values, "read_write_type": rw_type})


def _advanced_rw_type(field: dict[str, Any]) -> str:
    read_only = [str(v).lower() for v in field.get("Equals") or ()]
    if read_only == ["true"]:
        return "ReadOnly"
    return "WriteOnly" if read_only == ["false"] else "All"


def _advanced_data(fields: dict[str, dict[str, Any]], rw_type: str) -> list[dict[str, Any]]:
    """Data selectors of one advanced selector; an ARN filter that only excludes is not coverage."""
    arn = fields.get("resources.ARN", {})
    values = list(arn.get("StartsWith") or ()) + list(arn.get("Equals") or ())
    if not values and any(arn.get(op) for op in _EXCLUDING_OPERATORS):
        return []
    return [
        {
            "resource_type": kind,
            "values": values or ([ALL_BUCKETS] if kind == S3_OBJECTS else []),
            "read_write_type": rw_type,
        }
        for kind in fields.get("resources.type", {}).get("Equals") or ()
    ]


def _advanced(selectors: list[dict[str, Any]], management: set[str], data: list[dict[str, Any]]) -> None:
    for selector in selectors:
        fields = {str(f.get("Field")): f for f in selector.get("FieldSelectors") or ()}
        categories = fields.get("eventCategory", {}).get("Equals") or ()
        rw_type = _advanced_rw_type(fields.get("readOnly", {}))
        if "Management" in categories:
            management.add(rw_type)
        if "Data" in categories:
            data.extend(_advanced_data(fields, rw_type))


def recorded(selectors: dict[str, Any]) -> dict[str, Any]:
    """management_events, management_read_write_type and data_events from a GetEventSelectors answer."""
    basic = selectors.get("EventSelectors") or []
    advanced = selectors.get("AdvancedEventSelectors") or []
    if not basic and not advanced:
        return {}  # no selectors: all management events and no data events, CloudTrail's default
    management: set[str] = set()
    data: list[dict[str, Any]] = []
    _basic(basic, management, data)
    _advanced(advanced, management, data)
    return {**_management(management), "data_events": data}


def trail_attributes(
    trail: dict[str, Any], status: dict[str, Any], selectors: dict[str, Any], tags: dict[str, str]
) -> dict[str, Any]:
    return compact(
        {
            "name": trail["Name"],
            "home_region": trail.get("HomeRegion"),
            "is_multi_region_trail": bool(trail.get("IsMultiRegionTrail")),
            "include_global_service_events": trail.get("IncludeGlobalServiceEvents"),
            "is_logging": bool(status.get("IsLogging")),
            "log_file_validation_enabled": bool(trail.get("LogFileValidationEnabled")),
            "kms_key_id": trail.get("KmsKeyId"),
            "s3_bucket_name": trail.get("S3BucketName"),
            "cloud_watch_logs_log_group_arn": trail.get("CloudWatchLogsLogGroupArn"),
            **recorded(selectors),
            "tags": tags,
        }
    )


def _read_trail(api: Api, trail: dict[str, Any]) -> None:
    arn, home = str(trail["TrailARN"]), trail.get("HomeRegion")
    status = body(api.call("get_trail_status", region=home, Name=arn))
    selectors = body(api.call("get_event_selectors", region=home, TrailName=arn))
    listed = api.call("list_tags", region=home, ResourceIdList=[arn]).get("ResourceTagList") or [{}]
    tags = tag_map(listed[0].get("TagsList"))
    api.emit(
        TRAIL,
        id=arn,
        name=trail["Name"],
        region=home,
        attributes=trail_attributes(trail, status, selectors, tags),
        raw={"trail": trail, "status": status, "selectors": selectors, "tags": tags},
    )


def _reported_here(api: Api, trail: dict[str, Any]) -> bool:
    home = trail.get("HomeRegion")
    collected = api.run.regions
    if home == api.region:
        return True
    return home not in collected and bool(collected) and api.region == collected[0]


def trails(api: Api) -> None:
    for trail in api.items("describe_trails", "trailList", includeShadowTrails=True):
        if _reported_here(api, trail):
            with api.isolated(str(trail["TrailARN"])):
                _read_trail(api, trail)


STEPS = (
    Step(
        "cloudtrail",
        (TRAIL,),
        trails,
        (
            "cloudtrail:DescribeTrails",
            "cloudtrail:GetTrailStatus",
            "cloudtrail:GetEventSelectors",
            "cloudtrail:ListTags",
        ),
    ),
)
