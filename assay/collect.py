"""Runtime collection: which targets, how they are read, and turning what was read into an assessment.

Targets come from a TOML file ([[aws]], [[azure]], [[kubernetes]] tables), or, with no file, from the
environment the way the AWS CLI, kubectl and the Azure SDK find them. Targets are read in parallel; one
that cannot be reached does not stop the others.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assay.errors import InputError
from assay.pipeline import Assessment
from assay.settings import Settings
from collectors import ResourceSnapshot
from collectors.runtime import (
    AwsTarget,
    AzureTarget,
    CollectionReport,
    Failure,
    KubernetesTarget,
    Target,
    merge_incomplete,
)
from controls import Catalog
from policies import Evaluation, PolicySet, evaluate

PROVIDERS = ("aws", "azure", "kubernetes")


class ScheduleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jitter_seconds: int = Field(default=60, ge=0)
    misfire_grace_seconds: int = Field(default=600, ge=1)


class TargetsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aws: list[AwsTarget] = []
    azure: list[AzureTarget] = []
    kubernetes: list[KubernetesTarget] = []
    schedule: ScheduleConfig = ScheduleConfig()

    def targets(self, providers: tuple[str, ...] = PROVIDERS) -> list[Target]:
        chosen: list[Target] = []
        for provider in providers:
            chosen.extend(getattr(self, provider))
        return chosen

    def only(self, target: Target) -> TargetsConfig:
        """This configuration narrowed to one target (its schedule settings kept)."""
        return TargetsConfig(**{target.provider: [target]}, schedule=self.schedule)  # type: ignore[arg-type]

    def target(self, name: str) -> Target:
        for t in self.targets():
            if t.name == name:
                return t
        raise InputError(f"no target named {name!r} in the configuration")


def load_targets(path: Path) -> TargetsConfig:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return TargetsConfig.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{path}: {where}: {err['msg']}") from exc


def environment_targets(provider: str) -> TargetsConfig:
    """No configuration: the standard credential chains, as the AWS CLI, kubectl and Azure SDKs use them."""
    if provider == "aws":
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        target = AwsTarget(
            name="default",
            profile=os.environ.get("AWS_PROFILE"),
            regions=[region] if region else "all",
            endpoint_url=os.environ.get("AWS_ENDPOINT_URL"),
        )
        return TargetsConfig(aws=[target])
    if provider == "kubernetes":
        return TargetsConfig(
            kubernetes=[KubernetesTarget(name=os.environ.get("ASSAY_CLUSTER_NAME", "current"))]
        )
    subscription = os.environ.get("AZURE_SUBSCRIPTION_ID")
    if not subscription:
        raise InputError("AZURE_SUBSCRIPTION_ID is not set: name the subscription or pass --config")
    return TargetsConfig(
        azure=[
            AzureTarget(
                name="default",
                subscription_id=subscription,
                tenant_id=os.environ.get("AZURE_TENANT_ID"),
                client_id=os.environ.get("AZURE_CLIENT_ID"),
                client_secret=os.environ.get("AZURE_CLIENT_SECRET"),
            )
        ]
    )


# Collectors load their SDKs on first use, from worker threads (this module's pool, the scheduler's jobs).
# Two threads importing one SDK stack at once can see a partially initialised module (requests.utils) and
# fail a whole target, so imports take turns; a collector that cannot load still fails only its targets.
_IMPORTING = threading.Lock()


def _collector(target: Target, settings: Settings) -> Callable[[Any, Any, CollectionReport], None]:
    with _IMPORTING:
        return _import_collector(target, settings)


def _import_collector(target: Target, settings: Settings) -> Callable[[Any, Any, CollectionReport], None]:
    if isinstance(target, AwsTarget):
        from collectors.aws import collect_aws

        return collect_aws
    if isinstance(target, AzureTarget):
        from collectors.azure import collect_azure

        return collect_azure
    from collectors.kubernetes import collect_kubernetes

    key = settings.pseudonym_key()
    return lambda t, sink, report: collect_kubernetes(t, sink, report, pseudonym_key=key)


@dataclass
class Collected:
    snapshots: list[ResourceSnapshot] = field(default_factory=list)
    reports: list[CollectionReport] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = {r.status for r in self.reports}
        return "complete" if statuses <= {"complete"} else ("failed" if statuses == {"failed"} else "partial")


def collect(
    config: TargetsConfig,
    settings: Settings,
    providers: tuple[str, ...] = PROVIDERS,
    progress: Callable[[int, int | None], None] | None = None,
) -> Collected:
    """Read every target in parallel; `progress(resources read, None)` follows along."""
    targets = config.targets(providers)
    if not targets:
        raise InputError(f"no {' or '.join(providers)} targets configured")
    collected = Collected()
    lock = threading.Lock()

    def sink(snapshot: ResourceSnapshot) -> None:
        with lock:
            collected.snapshots.append(snapshot)
            count = len(collected.snapshots)
        if progress is not None:
            progress(count, None)

    def run(target: Target) -> CollectionReport:
        report = CollectionReport(target.name, target.provider)
        try:
            _collector(target, settings)(target, sink, report)
        except Exception as exc:  # noqa: BLE001 - a collector bug fails its target, loudly, and not the others
            report.failed(
                Failure(
                    target.name,
                    None,
                    target.provider,
                    "collect",
                    f"{type(exc).__name__}: {exc}",
                    _provider_types(target.provider),
                )
            )
        return report

    with ThreadPoolExecutor(max_workers=min(8, len(targets))) as pool:
        collected.reports = list(pool.map(run, targets))
    return collected


def _provider_types(provider: str) -> tuple[str, ...]:
    from collectors import SNAPSHOT_TYPES

    return tuple(t for t, spec in SNAPSHOT_TYPES.items() if spec.provider == provider)


def judge(
    collected: Collected, catalog: Catalog, policies: PolicySet, origin: Path, now: datetime | None = None
) -> Assessment:
    """Judge runtime snapshots; what a collector could not read makes the affected controls `error`."""
    result = Assessment(origin, None, snapshots=collected.snapshots, evaluated_at=now or datetime.now(UTC))
    providers = {r.provider for r in collected.reports}
    relevant = policies.only(p.id for p in policies if _provider_of(p.resource_types) & providers)
    ev = Evaluation(
        collected.snapshots,
        controls_for=catalog.controls_for_policy,
        now=result.evaluated_at,
        sources=("runtime",),
        incomplete=merge_incomplete(collected.reports),
    )
    result.judgements = evaluate(relevant, ev)
    return result


def _provider_of(types: tuple[str, ...]) -> set[str]:
    from collectors import SNAPSHOT_TYPES

    return {SNAPSHOT_TYPES[t].provider for t in types if t in SNAPSHOT_TYPES}
