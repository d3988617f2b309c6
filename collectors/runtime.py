"""What every runtime collector shares: targets, and an exact account of what a collection saw and missed.

A collector never judges and never swallows a failure: whatever it could not read is a Failure naming the
target, region, service, API operation, the error, and the snapshot types left incomplete. The pipeline
turns those into `error` judgements for the affected controls and marks the run `partial`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from collectors.snapshot import ResourceSnapshot

Sink = Callable[[ResourceSnapshot], None]


class _Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)


class AwsTarget(_Target):
    provider: Literal["aws"] = "aws"
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    regions: list[str] | Literal["all"] = "all"  # "all": enumerated with ec2:DescribeRegions, never assumed
    endpoint_url: str | None = None
    max_attempts: int = Field(default=5, ge=1, le=20)
    calls_per_second: float = Field(default=10.0, gt=0)  # per service and region: the rate budget


class AzureTarget(_Target):
    provider: Literal["azure"] = "azure"
    subscription_id: str
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None  # a service principal; else AZURE_* environment credentials
    token: str | None = None  # a static bearer token (tests, stand-ins)
    arm_endpoint: str = "https://management.azure.com"


class KubernetesTarget(_Target):
    provider: Literal["kubernetes"] = "kubernetes"
    kubeconfig: str | None = None  # default: the current kubeconfig
    context: str | None = None
    api_server: str | None = None  # with token: no kubeconfig needed
    token: str | None = None
    ca_file: str | None = None
    verify_tls: bool = True
    page_size: int = Field(default=500, ge=1)
    timeout_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _server_and_token(self) -> KubernetesTarget:
        if (self.api_server is None) != (self.token is None):
            raise ValueError("give api_server and token together, or neither (then a kubeconfig is used)")
        return self


Target = AwsTarget | AzureTarget | KubernetesTarget


@dataclass(frozen=True)
class Failure:
    target: str
    region: str | None
    service: str
    operation: str
    error: str
    snapshot_types: tuple[str, ...]

    def __str__(self) -> str:
        where = f"{self.target}/{self.region}" if self.region else self.target
        unread = ", ".join(self.snapshot_types)
        return f"{where}: {self.service}:{self.operation} failed ({self.error}); not read: {unread}"


@dataclass
class CollectionReport:
    """The population a collection enumerated: thread-safe, so workers across regions share one report."""

    target: str
    provider: str
    regions: list[str] = field(default_factory=list)
    calls: int = 0
    pages: int = 0
    retries: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)  # e.g. {"resource_versions": {...}} for Kubernetes
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def call(self, pages: int = 1, retries: int = 0) -> None:
        with self._lock:
            self.calls += 1
            self.pages += pages
            self.retries += retries

    def saw(self, snapshot_type: str, n: int = 1) -> None:
        with self._lock:
            self.counts[snapshot_type] += n

    def failed(self, failure: Failure) -> None:
        with self._lock:
            self.failures.append(failure)

    @property
    def status(self) -> str:
        if not self.failures:
            return "complete"
        return "partial" if self.counts else "failed"

    def incomplete_types(self) -> dict[str, list[str]]:
        """Snapshot type -> why it is not fully known."""
        found: dict[str, list[str]] = {}
        for f in self.failures:
            for t in f.snapshot_types:
                found.setdefault(t, []).append(str(f))
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "provider": self.provider,
            "status": self.status,
            "regions": self.regions,
            "calls": self.calls,
            "pages": self.pages,
            "retries": self.retries,
            "counts": dict(self.counts),
            "failures": [str(f) for f in self.failures],
            "notes": self.notes,
        }


class Collector(Protocol):
    """Reads one target; pushes snapshots to `sink` as each page arrives (nothing accumulates)."""

    def __call__(self, target: Any, sink: Sink, report: CollectionReport) -> None: ...


def merge_incomplete(reports: Iterable[CollectionReport]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for report in reports:
        for t, reasons in report.incomplete_types().items():
            merged.setdefault(t, []).extend(reasons)
    return merged
