"""CloudWatch Logs log groups: retention, KMS key and tags."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import compact, tag_map

LOG_GROUP = "aws.logs.log_group"


def group_attributes(group: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            "name": group["logGroupName"],
            "retention_in_days": group.get("retentionInDays"),  # absent: never expire
            "kms_key_id": group.get("kmsKeyId"),
            "tags": tags,
        }
    )


def log_groups(api: Api) -> None:
    for group in api.items("describe_log_groups", "logGroups"):
        arn = str(group.get("logGroupArn") or str(group["arn"]).removesuffix(":*"))
        with api.isolated(arn):
            tags = tag_map(api.call("list_tags_for_resource", resourceArn=arn).get("tags"))
            api.emit(
                LOG_GROUP,
                id=arn,
                name=group["logGroupName"],
                attributes=group_attributes(group, tags),
                raw={"group": group, "tags": tags},
            )


STEPS = (Step("logs", (LOG_GROUP,), log_groups, ("logs:DescribeLogGroups", "logs:ListTagsForResource")),)
