"""EventBridge rules on every event bus, with their event pattern and how many targets they alert."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import compact, json_object

RULE = "aws.events.rule"


def rule_attributes(rule: dict[str, Any], target_count: int) -> dict[str, Any]:
    return compact(
        {
            "name": rule.get("Name"),
            "enabled": rule.get("State")
            != "DISABLED",  # ENABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
            "event_pattern": json_object(rule.get("EventPattern")),  # none for a scheduled rule
            "target_count": target_count,
        }
    )


def _rules(api: Api, bus: str) -> None:
    for rule in api.items("list_rules", "Rules", EventBusName=bus):
        arn = str(rule["Arn"])
        with api.isolated(arn):
            targets = sum(
                len(page.get("Targets") or ())
                for page in api.pages("list_targets_by_rule", Rule=rule["Name"], EventBusName=bus)
            )
            api.emit(
                RULE,
                id=arn,
                name=rule.get("Name"),
                attributes=rule_attributes(rule, targets),
                raw={"rule": rule, "target_count": targets},
            )


def rules(api: Api) -> None:
    for bus in api.items("list_event_buses", "EventBuses"):
        _rules(api, str(bus["Name"]))


STEPS = (
    Step("events", (RULE,), rules, ("events:ListEventBuses", "events:ListRules", "events:ListTargetsByRule")),
)
