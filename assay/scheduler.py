"""`assay serve`: APScheduler 3 with a SQLAlchemy job store. One job per (target, control frequency); each
job collects its target, judges the controls of that frequency, and records the result as evidence.

Jobs carry jitter (targets are not all hit at once), coalesce missed runs into one, allow a grace period for
a late start, and never overlap themselves (max_instances=1). SIGTERM or SIGINT stops the scheduler after
the running jobs finish.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from assay.collect import TargetsConfig, collect, judge, load_targets
from assay.evidence import Evidence, RunContext, record_assessment
from assay.settings import Settings
from collectors import SNAPSHOT_TYPES
from controls import Automation, Catalog, Frequency, load_catalog
from policies import PolicySet, load_policies

log = logging.getLogger("assay.serve")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        return json.dumps(doc)


@dataclass(frozen=True)
class JobSpec:
    target: str
    provider: str
    frequency: Frequency

    @property
    def id(self) -> str:
        return f"{self.provider}:{self.target}:{self.frequency.value}"


def _provider_frequencies(catalog: Catalog, policies: PolicySet) -> dict[str, set[Frequency]]:
    found: dict[str, set[Frequency]] = {}
    for control in catalog.controls.values():
        if control.automation is Automation.manual:
            continue
        for pid in control.policies:
            spec = policies.get(pid)
            for t in spec.resource_types if spec else ():
                if "runtime" in SNAPSHOT_TYPES[t].sources:
                    found.setdefault(SNAPSHOT_TYPES[t].provider, set()).add(control.frequency)
    return found


def plan_jobs(config: TargetsConfig, catalog: Catalog, policies: PolicySet) -> list[JobSpec]:
    frequencies = _provider_frequencies(catalog, policies)
    return sorted(
        (JobSpec(t.name, t.provider, f) for t in config.targets() for f in frequencies.get(t.provider, ())),
        key=lambda j: (j.frequency.seconds, j.id),
    )


def trigger_for(job: JobSpec, jitter: int, start: datetime | None = None) -> IntervalTrigger:
    return IntervalTrigger(
        seconds=job.frequency.seconds,
        jitter=min(jitter, job.frequency.seconds // 10) or None,
        start_date=start,
        timezone=UTC,
    )


def run_job(config_path: str, target: str, frequency: str) -> str:
    """One scheduled job: collect one target, judge the controls of one frequency, record the evidence."""
    settings = Settings()
    catalog, policies = load_catalog(), load_policies()
    config = load_targets(Path(config_path))
    chosen = config.target(target)
    wanted = {c.id for c in catalog.controls.values() if c.frequency.value == frequency}
    subset = policies.only(p for c in wanted for p in catalog.controls[c].policies)
    collected = collect(config.only(chosen), settings, (chosen.provider,))
    result = judge(collected, catalog, subset, Path(config_path))
    context = RunContext("collect", [r.to_json() for r in collected.reports], collected.status)
    run_id, committed = record_assessment(result, catalog, subset, Evidence.open(settings), context)
    log.info(
        "job finished",
        extra={
            "fields": {
                "job": f"{chosen.provider}:{target}:{frequency}",
                "run_id": run_id,
                "status": collected.status,
                "records": committed.records,
            }
        },
    )
    return run_id


def build_scheduler(
    config_path: Path, config: TargetsConfig, settings: Settings, catalog: Catalog, policies: PolicySet
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=settings.database, tablename="assay_jobs")},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": config.schedule.misfire_grace_seconds,
        },
        timezone=UTC,
    )
    for job in plan_jobs(config, catalog, policies):
        scheduler.add_job(
            "assay.scheduler:run_job",
            trigger_for(job, config.schedule.jitter_seconds),
            args=[str(config_path.resolve()), job.target, job.frequency.value],
            id=job.id,
            name=job.id,
            replace_existing=True,
            next_run_time=datetime.now(UTC),
        )
    return scheduler


def serve(config_path: Path, settings: Settings, once: bool = False) -> int:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.getLogger("assay").setLevel(logging.INFO)  # our job log; libraries only warn
    config = load_targets(config_path)
    catalog, policies = load_catalog(), load_policies()
    if once:
        for job in plan_jobs(config, catalog, policies):
            run_job(str(config_path), job.target, job.frequency.value)
        return 0
    scheduler = build_scheduler(config_path, config, settings, catalog, policies)
    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("stopping", extra={"fields": {"signal": signum}})
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    scheduler.start()
    log.info("scheduler started", extra={"fields": {"jobs": [j.id for j in scheduler.get_jobs()]}})
    stop.wait()
    scheduler.shutdown(wait=True)  # running jobs finish; nothing is cut off half-recorded
    log.info("scheduler stopped")
    return 0
