"""GuardDuty detectors, per region, with the protection features they have switched on."""

from __future__ import annotations

from typing import Any

from collectors.aws.api import Api, Step
from collectors.aws.common import body

DETECTOR = "aws.guardduty.detector"

# The legacy DataSources answer, by the feature name the newer Features list uses for each.
_DATASOURCE_FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("S3_DATA_EVENTS", ("S3Logs",)),
    ("EKS_AUDIT_LOGS", ("Kubernetes", "AuditLogs")),
    ("EBS_MALWARE_PROTECTION", ("MalwareProtection", "ScanEc2InstanceWithFindings", "EbsVolumes")),
)


def features(detector: dict[str, Any]) -> dict[str, bool]:
    """Feature name -> enabled; the Features list, where present, overrides the legacy DataSources."""
    found: dict[str, bool] = {}
    for feature, path in _DATASOURCE_FEATURES:
        node: Any = detector.get("DataSources") or {}
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and "Status" in node:
            found[feature] = str(node["Status"]).upper() == "ENABLED"
    for feature in detector.get("Features") or ():
        if feature.get("Name"):
            found[str(feature["Name"]).upper()] = str(feature.get("Status", "")).upper() == "ENABLED"
    return found


def detectors(api: Api) -> None:
    for page in api.pages("list_detectors"):
        for detector_id in page.get("DetectorIds") or ():
            arn = api.arn("guardduty", f"detector/{detector_id}")
            with api.isolated(arn):
                detector = body(api.call("get_detector", DetectorId=detector_id))
                attributes = {"enabled": detector.get("Status") == "ENABLED", "features": features(detector)}
                api.emit(DETECTOR, id=arn, attributes=attributes, raw=detector)


STEPS = (Step("guardduty", (DETECTOR,), detectors, ("guardduty:ListDetectors", "guardduty:GetDetector")),)
