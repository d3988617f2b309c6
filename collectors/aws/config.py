"""AWS Config recorders, per region, with whether each is recording."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body

RECORDER = "aws.config.recorder"


def recorder_attributes(recorder: dict[str, Any], recording: bool) -> dict[str, Any]:
    group = recorder.get("recordingGroup") or {}
    return {
        "name": recorder.get("name"),
        "all_supported": bool(group.get("allSupported", True)),
        "include_global_resource_types": bool(group.get("includeGlobalResourceTypes")),
        "recording": recording,
    }


def recorders(api: Api) -> None:
    found = body(api.call("describe_configuration_recorders"))
    if not found.get("ConfigurationRecorders"):
        return  # none in this region: no snapshot, and the policy reports the recorder missing
    answer = body(api.call("describe_configuration_recorder_status"))
    statuses = {str(s.get("name")): s for s in answer.get("ConfigurationRecordersStatus") or ()}
    for recorder in found["ConfigurationRecorders"]:
        name = str(recorder.get("name"))
        status = statuses.get(name, {})
        api.emit(
            RECORDER,
            id=recorder.get("arn") or api.arn("config", f"configuration-recorder/{name}"),
            name=name,
            attributes=recorder_attributes(recorder, bool(status.get("recording"))),
            raw={"recorder": recorder, "status": status},
        )


STEPS = (
    Step(
        "config",
        (RECORDER,),
        recorders,
        ("config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"),
    ),
)
