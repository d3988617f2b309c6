"""One AWS account: who we are, which regions exist, then every step on a thread pool."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

from botocore.exceptions import BotoCoreError

from collectors.aws import (
    backup,
    cloudtrail,
    config,
    ec2,
    eks,
    elasticache,
    elbv2,
    events,
    guardduty,
    iam,
    kms,
    logs,
    rds,
    s3,
    secretsmanager,
)
from collectors.aws.api import Api, Run, Step
from collectors.aws.budget import Budgets
from collectors.aws.errors import ApiError
from collectors.aws.session import Clients, SessionFactory, default_session, home_region
from collectors.runtime import AwsTarget, CollectionReport, Failure, Sink
from collectors.snapshot import ResourceSnapshot

STEPS: tuple[Step, ...] = (
    *iam.STEPS,
    *s3.STEPS,
    *ec2.STEPS,
    *rds.STEPS,
    *kms.STEPS,
    *elasticache.STEPS,
    *eks.STEPS,
    *cloudtrail.STEPS,
    *guardduty.STEPS,
    *config.STEPS,
    *logs.STEPS,
    *secretsmanager.STEPS,
    *elbv2.STEPS,
    *backup.STEPS,
    *events.STEPS,
)
ALL_TYPES = tuple(dict.fromkeys(t for step in STEPS for t in step.types))
REGIONAL_TYPES = tuple(dict.fromkeys(t for step in STEPS if not step.is_global for t in step.types))

# Calls made before the steps: who we are, and which regions there are. Their failures name these types.
_IDENTITY = Step("sts", ALL_TYPES, lambda api: None, ("sts:AssumeRole", "sts:GetCallerIdentity"), True)
_REGIONS = Step("ec2", REGIONAL_TYPES, lambda api: None, ("ec2:DescribeRegions",), True)
BOOTSTRAP = (_IDENTITY, _REGIONS)
_SESSION_NAME_UNSAFE = re.compile(r"[^\w+=,.@-]")  # what AssumeRole accepts in RoleSessionName


class _Pool:
    """A thread pool whose work may submit more work; `drain` returns when all of it is done."""

    def __init__(self, workers: int):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="assay-aws")
        self._futures: list[Future[None]] = []
        self._lock = threading.Lock()

    def submit(self, work: Callable[[], None]) -> None:
        with self._lock:
            self._futures.append(self._executor.submit(work))

    def drain(self) -> None:
        """Wait for every submitted item; a bug (any exception not turned into a Failure) is re-raised."""
        seen = 0
        try:
            while True:
                with self._lock:
                    batch, seen = self._futures[seen:], len(self._futures)
                if not batch:
                    return
                for future in batch:
                    future.result()
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)


def _locked(sink: Sink) -> Sink:
    lock = threading.Lock()

    def push(snapshot: ResourceSnapshot) -> None:
        with lock:
            sink(snapshot)

    return push


def _identify(run: Run, clients: Clients) -> bool:
    """Assume the target's role (fresh keys every run) and learn the account; False when that fails."""
    api = Api(run, _IDENTITY, None)
    target = run.target
    try:
        if target.role_arn:
            session_name = _SESSION_NAME_UNSAFE.sub("-", f"assay-{target.name}")[:64]
            params = {"RoleArn": target.role_arn, "RoleSessionName": session_name}
            if target.external_id:
                params["ExternalId"] = target.external_id
            keys = api.call("assume_role", **params)["Credentials"]
            run.client = clients.assumed(keys).get
        identity = api.call("get_caller_identity")
    except ApiError as exc:
        api.fail(exc, ALL_TYPES)
        return False
    run.account = str(identity["Account"])
    run.partition = str(identity["Arn"]).split(":")[1]
    return True


def _regions(run: Run) -> list[str]:
    """The regions to read: the target's list, or every region enabled for the account."""
    if isinstance(run.target.regions, list):
        run.report.notes["regions_source"] = "target"
        return list(run.target.regions)
    api = Api(run, _REGIONS, None)
    try:
        found = api.call("describe_regions", AllRegions=False)
    except ApiError as exc:
        api.fail(exc, REGIONAL_TYPES)
        return []
    run.report.notes["regions_source"] = "ec2:DescribeRegions"
    return sorted(r["RegionName"] for r in found.get("Regions", ()))


def plan(steps: Sequence[Step], regions: Sequence[str]) -> Iterator[tuple[Step, str | None]]:
    """Global steps once, regional steps once per region."""
    for step in steps:
        if step.is_global:
            yield step, None
        else:
            yield from ((step, region) for region in regions)


def _execute(run: Run, step: Step, region: str | None) -> None:
    api = Api(run, step, region)
    api.guarded(lambda: step.run(api))


def collect_aws(
    target: AwsTarget,
    sink: Sink,
    report: CollectionReport,
    *,
    session_factory: SessionFactory | None = None,
    max_workers: int = 8,
) -> None:
    """Read one AWS account into `sink`; whatever could not be read is a Failure in `report`."""
    try:
        session = (session_factory or default_session)(target)
    except BotoCoreError as exc:
        error = f"{type(exc).__name__}: {exc}"
        report.failed(Failure(target.name, None, "session", "CreateSession", error, ALL_TYPES))
        return
    clients = Clients(session, target, Budgets(target.calls_per_second))
    run = Run(target, report, _locked(sink), clients.get, home_region(session, target))
    if not _identify(run, clients):
        return
    report.notes["account"] = run.account
    run.regions = _regions(run)
    report.regions = list(run.regions)
    pool = _Pool(max_workers)
    run.submit = pool.submit
    for step, region in plan(STEPS, run.regions):
        pool.submit(partial(_execute, run, step, region))
    pool.drain()
