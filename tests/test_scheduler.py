"""The scheduler: one job per (target, frequency), on time (fake clock), never overlapping, clean shutdown."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from assay.collect import TargetsConfig
from assay.scheduler import JobSpec, build_scheduler, plan_jobs, trigger_for
from assay.settings import Settings
from collectors.runtime import AwsTarget, KubernetesTarget
from controls import Frequency, load_catalog
from policies import load_policies

CATALOG, POLICIES = load_catalog(), load_policies()
CONFIG = TargetsConfig(
    aws=[AwsTarget(name="prod", regions=["us-east-1"])],
    kubernetes=[KubernetesTarget(name="eks", api_server="https://127.0.0.1:1", token="t")],
)
T0 = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
RUNS = Path(__file__).parent / ".scheduler-runs"


def test_one_job_per_target_and_frequency_its_controls_use() -> None:
    jobs = plan_jobs(CONFIG, CATALOG, POLICIES)
    assert len({j.id for j in jobs}) == len(jobs)
    assert {j.target for j in jobs} == {"prod", "eks"}
    aws = {j.frequency for j in jobs if j.provider == "aws"}
    assert Frequency.daily in aws
    reads_aws = {p.id for p in POLICIES if any(t.startswith("aws.") for t in p.resource_types)}
    expected = {c.frequency for c in CATALOG.controls.values() if reads_aws & set(c.policies)}
    assert aws == expected


def test_jobs_fire_on_time_with_jitter_on_a_fake_clock() -> None:
    job = JobSpec("prod", "aws", Frequency.daily)
    trigger = trigger_for(job, jitter=60, start=T0)
    fired, previous, now = [], None, T0
    while now < T0 + timedelta(days=30):
        nxt = trigger.get_next_fire_time(previous, now)
        assert nxt is not None
        fired.append(nxt)
        previous, now = nxt, nxt + timedelta(seconds=1)  # the clock jumps to just after the run
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(fired)]
    assert 30 <= len(fired) <= 31 and all(86400 - 60 <= g <= 86400 + 60 for g in gaps)  # jitter is +/- 60 s
    hourly = trigger_for(JobSpec("prod", "aws", Frequency.hourly), jitter=600, start=T0)
    assert hourly.jitter == 360  # jitter never exceeds a tenth of the interval


def test_missed_runs_coalesce_into_one_after_downtime(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'jobs.db'}")
    scheduler = build_scheduler(tmp_path / "targets.toml", CONFIG, settings, CATALOG, POLICIES)
    scheduler.start(paused=True)  # jobs reach the SQLAlchemy store with the defaults applied
    try:
        jobs = scheduler.get_jobs()
        assert jobs and all(j.coalesce and j.max_instances == 1 for j in jobs)
        assert all(j.misfire_grace_time == CONFIG.schedule.misfire_grace_seconds for j in jobs)
        assert (tmp_path / "jobs.db").exists()
    finally:
        scheduler.shutdown(wait=False)


def slow_job(tag: str) -> None:
    """Appends its start and end times: overlapping runs would interleave."""
    with RUNS.open("a") as handle:
        handle.write(f"start {time.monotonic()}\n")
    time.sleep(1.3)
    with RUNS.open("a") as handle:
        handle.write(f"end {time.monotonic()}\n")


def test_real_scheduler_with_sqlalchemy_store_never_overlaps_and_stops_cleanly(tmp_path: Path) -> None:
    RUNS.unlink(missing_ok=True)
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{tmp_path / 'j.db'}")},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    scheduler.add_job(
        "tests.test_scheduler:slow_job",
        IntervalTrigger(seconds=1),
        args=["x"],
        id="slow",
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    time.sleep(3.2)
    scheduler.shutdown(wait=True)  # the running job finishes first
    events = RUNS.read_text().split()
    RUNS.unlink()
    kinds = events[0::2]
    assert kinds[0] == "start" and kinds[-1] == "end"  # nothing cut off
    assert all(a != b for a, b in itertools.pairwise(kinds))  # strictly start, end, start, end
    assert kinds.count("start") >= 2
