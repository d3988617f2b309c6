"""CloudTrail trails: coverage, integrity and S3 data events."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Context, Resources, Status, Verdict, failed, not_applicable, passed
from policies.python._common import about, data_categories, display_name, judge
from policies.sdk import aggregate_policy, policy

_S3_ARN = re.compile(r"^arn:[a-z-]+:s3(?::::(?P<bucket>[^/]*))?/?$")


def _trail_gaps(trail: Mapping[str, Any]) -> Iterator[str]:
    if not trail.get("is_multi_region_trail"):
        yield "it records one region only"
    if not trail.get("is_logging", True):
        yield "logging is stopped"
    if not trail.get("include_global_service_events", True):
        yield "global service events (IAM, STS) are excluded"
    if not trail.get("management_events", True):
        yield "management events are excluded"
    elif str(trail.get("management_read_write_type", "All")) != "All":
        yield f"management events are limited to {trail.get('management_read_write_type')}"


@aggregate_policy(
    "aws.cloudtrail.multi_region_logging",
    resource_types=["aws.cloudtrail.trail"],
    title="A multi-region trail records all management events",
    severity="high",
    required=True,
)
def multi_region_logging(resources: Resources, ctx: Context) -> Iterator[Verdict]:
    """Each trail should be multi-region, logging, include global service events and record read and write
    management events; the account fails as a whole when no trail does."""
    any_complete = False
    for trail in resources.of("aws.cloudtrail.trail"):
        verdict = judge(
            _trail_gaps(trail.attributes),
            "multi-region, logging, with global service events and all management events",
            "a logging multi-region trail with global service events and read/write management events",
        )
        any_complete = any_complete or verdict.status is Status.passed
        yield about(verdict, trail.id)
    if not any_complete:
        yield failed("no multi-region trail logs read and write management events in every region")


@policy(
    "aws.cloudtrail.log_validation_encrypted",
    resource_types=["aws.cloudtrail.trail"],
    title="CloudTrail validates and encrypts its log files",
    severity="medium",
)
def log_validation_encrypted(trail: ResourceSnapshot, ctx: Context) -> Verdict:
    """Log file integrity validation must be on and log files must be encrypted with a KMS key."""
    problems = []
    if not trail.attributes.get("log_file_validation_enabled"):
        problems.append("log file validation is off")
    if not trail.attributes.get("kms_key_id"):
        problems.append("log files are not encrypted with a KMS key (SSE-S3 only)")
    return judge(
        problems, "log files are digest-validated and KMS-encrypted", "log file validation and a kms_key_id"
    )


def _selector_covers(selector: Mapping[str, Any], bucket: str) -> bool:
    """Whether an S3 object data-event selector logs every object in `bucket`, reads and writes."""
    if selector.get("resource_type") != "AWS::S3::Object":
        return False
    if str(selector.get("read_write_type", "All")) != "All":
        return False
    for value in selector.get("values") or []:
        match = _S3_ARN.match(str(value))
        if match and match["bucket"] in (None, "", bucket):
            return True
    return False


def _reaches_region(trail: ResourceSnapshot, bucket: ResourceSnapshot) -> bool:
    """A single-region trail sees data events of its own region only; an unknown region counts as a match."""
    if trail.attributes.get("is_multi_region_trail"):
        return True
    region = trail.attributes.get("home_region") or trail.region
    return region is None or bucket.region is None or region == bucket.region


def _covering_trails(bucket: ResourceSnapshot, trails: list[ResourceSnapshot]) -> list[str]:
    name = bucket.attributes.get("name", "")
    return [
        display_name(trail)
        for trail in trails
        if _reaches_region(trail, bucket)
        and any(_selector_covers(s, name) for s in trail.attributes.get("data_events") or [])
    ]


@aggregate_policy(
    "aws.cloudtrail.s3_data_events",
    resource_types=["aws.cloudtrail.trail", "aws.s3.bucket"],
    subject_types=["aws.s3.bucket"],
    title="Object-level access to sensitive buckets is logged",
    severity="high",
    params={"categories": ["cardholder", "evidence", "personal"]},
)
def s3_data_events(resources: Resources, ctx: Context) -> Iterator[Verdict]:
    """A bucket whose data_category tag names a sensitive category must be covered by a logging trail's S3
    object data events (all buckets, or this bucket in full; reads and writes), in the bucket's region."""
    sensitive = {str(c).lower() for c in ctx.params["categories"]}
    trails = [t for t in resources.of("aws.cloudtrail.trail") if t.attributes.get("is_logging", True)]
    buckets = resources.of("aws.s3.bucket")
    if not buckets:
        yield not_applicable("no S3 bucket in scope")
    for bucket in buckets:
        name = bucket.attributes.get("name", "")
        hits = sorted(data_categories(bucket) & sensitive)
        if not hits:
            yield not_applicable(f"bucket {name} holds no {'/'.join(sorted(sensitive))} data", bucket.id)
            continue
        covering = _covering_trails(bucket, trails)
        if covering:
            yield passed(
                f"object reads and writes in {name} are logged by trail {', '.join(covering)}", bucket.id
            )
        else:
            yield failed(
                f"bucket {name} holds {', '.join(hits)} data but no logging trail records its "
                "object-level reads and writes; expected an AWS::S3::Object data event selector "
                "covering it",
                bucket.id,
            )
