"""An ARM stub replaying the example platform's recordings, shared by a test module; faults reset per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.standins.arm_stub import DEFAULT_TOKEN, start_arm_stub
from assay.standins.process import StandInError
from assay.standins.stub_http import StubControl
from collectors.azure import collect_azure
from collectors.runtime import AzureTarget, CollectionReport
from collectors.snapshot import ResourceSnapshot

ROOT = Path(__file__).resolve().parents[3]
RECORDINGS = ROOT / "examples" / "platform" / "recordings" / "azure"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


def start(recordings: Path, log: Path) -> Iterator[StubControl]:
    try:
        server = start_arm_stub(recordings, log)
    except StandInError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield StubControl(server.url)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def arm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubControl]:
    yield from start(RECORDINGS, tmp_path_factory.mktemp("arm") / "stub.log")


@pytest.fixture
def arm(arm_server: StubControl) -> StubControl:
    """The stub with no faults and an empty request log."""
    arm_server.reset()
    return arm_server


def collect(url: str, token: str = DEFAULT_TOKEN) -> tuple[list[ResourceSnapshot], CollectionReport]:
    target = AzureTarget(name="dr", subscription_id=SUBSCRIPTION, token=token, arm_endpoint=url)
    report = CollectionReport(target="dr", provider="azure")
    snapshots: list[ResourceSnapshot] = []
    collect_azure(target, snapshots.append, report)
    return snapshots, report
