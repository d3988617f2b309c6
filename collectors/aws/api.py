"""What a collection step works with: counted calls and pages, snapshots to the sink, errors as Failures.

A step reads one service in one region (or once per account for global services). Every SDK error it
cannot recover from becomes an `ApiError` naming the service, API operation and region; the step's
guard records it as a Failure with the snapshot types left incomplete. Inside a step, `isolated` keeps
one resource's error from hiding the others, except for errors that make further calls pointless
(credentials rejected, endpoint unreachable), which end the step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from collectors.aws.errors import ApiError, classify, retry_count
from collectors.runtime import AwsTarget, CollectionReport, Failure, Sink
from collectors.snapshot import SnapshotError, make_snapshot

COLLECTOR = "assay-aws/0.1"


@dataclass(frozen=True)
class Step:
    """One unit of work: a function reading `types` from `service`, per region or once per account."""

    service: str
    types: tuple[str, ...]
    run: Callable[[Api], None]
    calls: tuple[str, ...]  # the API operations it makes, as "<boto3 service>:<Operation>"
    is_global: bool = False


@dataclass
class Run:
    """State shared by every step of one target's collection (thread-safe where it is written)."""

    target: AwsTarget
    report: CollectionReport
    sink: Sink
    client: Callable[[str, str], Any]  # (service, region) -> boto3 client
    home_region: str
    submit: Callable[[Callable[[], None]], None] = lambda work: work()
    account: str = ""
    partition: str = "aws"
    regions: list[str] = field(default_factory=list)  # the regions collected, in order
    _rejected: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reject(self, region: str, error: str) -> None:
        with self._lock:
            self._rejected.setdefault(region, error)

    def rejection(self, region: str) -> str | None:
        with self._lock:
            return self._rejected.get(region)


@dataclass(frozen=True)
class _Call:
    """One SDK call about to be made: the client, and where its answer (or failure) is reported."""

    client: Any
    service: str
    operation: str  # the boto3 method name
    endpoint: str  # the region whose endpoint answers
    region: str | None  # the region reported: None for a global service

    @property
    def api_name(self) -> str:
        """The operation as AWS names it (GetBucketPolicy), for reports."""
        return str(self.client.meta.method_to_api_mapping.get(self.operation, self.operation))


class Api:
    """The calls of one step in one region (`region` None: a global step, served from the home region)."""

    def __init__(self, run: Run, step: Step, region: str | None):
        self.run = run
        self.step = step
        self.region = region

    @property
    def account(self) -> str:
        return self.run.account

    def arn(
        self, service: str, resource: str, *, region: str | None = None, account: str | None = None
    ) -> str:
        """An ARN in this step's partition, region (`region=""` for global ones) and account."""
        where = (self.region or "") if region is None else region
        return f"arn:{self.run.partition}:{service}:{where}:{account or self.run.account}:{resource}"

    def _prepare(self, operation: str, service: str | None, region: str | None) -> _Call:
        name = service or self.step.service
        endpoint = region or self.region or self.run.home_region
        call = _Call(self.run.client(name, endpoint), name, operation, endpoint, region or self.region)
        refused = self.run.rejection(endpoint)
        if refused is not None:
            reason = f"credentials rejected earlier: {refused}"
            raise ApiError(name, call.api_name, call.region, "NotAttempted", reason, "skipped")
        return call

    def _error(self, exc: ClientError | BotoCoreError, call: _Call) -> ApiError:
        code, message, kind = classify(exc)
        if kind == "rejected":
            self.run.reject(call.endpoint, f"{code}: {message}")
        return ApiError(call.service, call.api_name, call.region, code, message, kind)

    def call(
        self, operation: str, *, service: str | None = None, region: str | None = None, **params: Any
    ) -> dict[str, Any]:
        found = self._invoke(operation, service, region, params, absent=())
        assert found is not None  # only an error code listed in `absent` gives None
        return found

    def lookup(
        self,
        operation: str,
        *,
        absent: Collection[str],
        service: str | None = None,
        region: str | None = None,
        **params: Any,
    ) -> dict[str, Any] | None:
        """`call`, with None when the error code says the thing is not configured (NoSuch...)."""
        return self._invoke(operation, service, region, params, absent)

    def _invoke(
        self,
        operation: str,
        service: str | None,
        region: str | None,
        params: dict[str, Any],
        absent: Collection[str],
    ) -> dict[str, Any] | None:
        call = self._prepare(operation, service, region)
        try:
            response: dict[str, Any] = getattr(call.client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            answered = isinstance(exc, ClientError) and classify(exc)[0] in absent
            self.run.report.call(pages=1 if answered else 0, retries=_attempts(exc))
            if answered:
                return None
            raise self._error(exc, call) from exc
        self.run.report.call(retries=retry_count(response))
        return response

    def pages(
        self, operation: str, *, service: str | None = None, region: str | None = None, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every page of a listing, as it arrives; one call however many pages."""
        call = self._prepare(operation, service, region)
        responses = _responses(call.client, operation, params)
        pages = retries = 0
        try:
            while True:
                try:
                    page = next(responses)
                except StopIteration:
                    return
                except (ClientError, BotoCoreError) as exc:
                    retries += _attempts(exc)
                    raise self._error(exc, call) from exc
                pages += 1
                retries += retry_count(page)
                yield page
        finally:
            self.run.report.call(pages=pages, retries=retries)

    def items(self, operation: str, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        for page in self.pages(operation, **kwargs):
            yield from page.get(key) or ()

    def emit(
        self,
        snapshot_type: str,
        *,
        id: str,
        attributes: dict[str, Any],
        raw: object,
        name: str | None = None,
        region: str | None = None,
    ) -> None:
        where = region or self.region
        try:
            snapshot = make_snapshot(
                id=id,
                type=snapshot_type,
                source="runtime",
                attributes=attributes,
                collector=COLLECTOR,
                raw=raw,
                name=name,
                account=self.account,
                region=where,
            )
        except SnapshotError as exc:
            failure = ApiError(self.step.service, "map", where, "SnapshotError", str(exc), "other")
            self.fail(failure, (snapshot_type,))
            return
        self.run.sink(snapshot)
        self.run.report.saw(snapshot_type)

    def fail(
        self, exc: ApiError, types: tuple[str, ...], resource: str | None = None, conceal: Sequence[str] = ()
    ) -> None:
        """Record `exc` as a Failure; each `conceal` string (a person's user name) is masked in its text."""
        error = f"{exc.error} (resource {resource})" if resource else exc.error
        for secret in conceal:
            error = error.replace(secret, "[concealed]")
        failure = Failure(self.run.target.name, exc.region, exc.service, exc.operation, error, types)
        self.run.report.failed(failure)

    @contextmanager
    def isolated(
        self, resource: str, types: tuple[str, ...] | None = None, conceal: Sequence[str] = ()
    ) -> Iterator[None]:
        """One resource's failure is recorded and the step goes on, unless it ends the step."""
        try:
            yield
        except ApiError as exc:
            if exc.ends_step:
                raise
            self.fail(exc, types or self.step.types, resource, conceal)

    def guarded(self, work: Callable[[], None]) -> None:
        """Run `work`; an error that escapes it leaves every type of the step incomplete."""
        try:
            work()
        except ApiError as exc:
            self.fail(exc, self.step.types)

    def spawn(self, work: Callable[[], None]) -> None:
        """Run `work` on the pool, under this step's guard (e.g. one S3 bucket's reads)."""
        self.run.submit(lambda: self.guarded(work))


def _attempts(exc: ClientError | BotoCoreError) -> int:
    return retry_count(exc.response) if isinstance(exc, ClientError) else 0


def _responses(client: Any, operation: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The pages of an operation: its paginator, else NextToken by hand, else the one response."""
    if client.can_paginate(operation):
        yield from client.get_paginator(operation).paginate(**params)
        return
    method = getattr(client, operation)
    response = method(**params)
    yield response
    while response.get("NextToken"):
        response = method(**params, NextToken=response["NextToken"])
        yield response
