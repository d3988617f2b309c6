"""ARM calls for one target: every page and retry counted, every SDK error turned into a Failure.

Every answer passes a response hook before the SDK reads it: an HTTP 2xx whose body is empty, not JSON, not
an object, or (for a list operation, on any page) has no `value` array is a HollowResponse Failure for the
operation, never an empty list. It is not retried: the SDK would retry it as any error, for half a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, NoReturn

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.core.paging import ItemPaged
from azure.core.pipeline import PipelineResponse

from collectors.answers import json_object
from collectors.azure.clients import ArmClients
from collectors.runtime import CollectionReport, Failure

ARM_ERRORS = (HttpResponseError, ServiceRequestError, ServiceResponseError)


@dataclass(frozen=True)
class Op:
    """One ARM operation: the resource provider, the REST operation id, the snapshot types it feeds."""

    service: str
    operation: str
    types: tuple[str, ...]

    @property
    def listing(self) -> bool:
        """A list operation (ARM names them X_List, X_ListAll, X_ListBy...): its answers are {"value": []}."""
        return "_List" in self.operation


class HollowAnswer(Exception):
    """An HTTP 2xx answer with nothing the operation documents in it."""


def check_answer(op: Op, response: PipelineResponse[Any, Any]) -> None:
    """Raise HollowAnswer for an answer to `op` that is a success in name only."""
    http = response.http_response
    if not 200 <= http.status_code < 300:
        return
    where = f"{op.operation} answered"
    document = json_object(http.body(), where, HollowAnswer, http.status_code)
    if op.listing and not isinstance(document.get("value"), list):
        raise HollowAnswer(f"{where} a list page with no value array")


class Unread(Exception):
    """An ARM call failed after the SDK's own retries; its Failure is already in the report."""


class Refused(Unread):
    """The credential was refused, or the endpoint could not be reached: nothing more can be read."""


def rest_dict(item: Any) -> dict[str, Any]:
    """An SDK model as the REST JSON it was read from (camelCase keys, unknown fields kept when the model
    keeps them)."""
    model: Any = item
    if isinstance(item, MutableMapping):  # TypeSpec-generated models wrap the JSON itself
        return dict(model.as_dict())
    body: dict[str, Any] = model.serialize(keep_readonly=True)  # msrest models
    return body


def describe(exc: Exception) -> str:
    """`Code: message` for the Failure."""
    if isinstance(exc, HollowAnswer):
        return f"HollowResponse: {exc}"
    if isinstance(exc, HttpResponseError):
        error = exc.error
        code = error.code if error is not None and error.code else f"HTTP {exc.status_code}"
        message = error.message if error is not None and error.message else (exc.reason or str(exc))
        return f"{code}: {message}"
    return f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"


class ArmReader:
    def __init__(self, target_name: str, report: CollectionReport, clients: ArmClients) -> None:
        self.target = target_name
        self.report = report
        self.clients = clients

    def options(self, op: Op) -> dict[str, Any]:
        """Keyword arguments for a call of `op`: the clients' own, and the check of every answer."""
        return {**self.clients.options, "raw_response_hook": lambda response: check_answer(op, response)}

    def pages(
        self, op: Op, call: Callable[..., ItemPaged[Any]], *args: Any
    ) -> Iterator[list[dict[str, Any]]]:
        """The pages of the list operation `call(*args)`, each as REST dicts, fetched as they are consumed."""
        pager = call(*args, **self.options(op)).by_page()
        while True:
            try:
                page = next(pager, None)
                items = None if page is None else [rest_dict(item) for item in page]
            except (*ARM_ERRORS, HollowAnswer) as exc:
                self._fail(op, exc)
            if items is None:
                return
            self._count(pages=1)
            yield items

    def listing(self, op: Op, call: Callable[..., ItemPaged[Any]], *args: Any) -> list[dict[str, Any]]:
        """Every item of a short sub-list (settings of one resource, flow logs of one watcher)."""
        return [item for page in self.pages(op, call, *args) for item in page]

    def get(self, op: Op, call: Callable[..., Any], *args: Any) -> Any:
        """The result of one call (an SDK model or a list envelope), counted as one page."""
        try:
            result = call(*args, **self.options(op))
        except (*ARM_ERRORS, HollowAnswer) as exc:
            self._fail(op, exc)
        self._count(pages=1)
        return result

    def region(self, location: str | None) -> str | None:
        """The location as ARM's short name ("East US 2" -> "eastus2"), added to the report's regions."""
        if not location:
            return None
        name = location.replace(" ", "").lower()
        if name not in self.report.regions:
            self.report.regions.append(name)
        return name

    def not_attempted(self, ops: list[Op], reason: str) -> None:
        for op in ops:
            self.report.failed(
                Failure(self.target, None, op.service, op.operation, f"NotAttempted: {reason}", op.types)
            )

    def _count(self, pages: int) -> None:
        attempts = self.clients.attempts.take()
        self.report.call(pages=pages, retries=max(0, attempts - 1))

    def _fail(self, op: Op, exc: Exception) -> NoReturn:
        self._count(pages=0)
        self.report.failed(Failure(self.target, None, op.service, op.operation, describe(exc), op.types))
        if isinstance(exc, ClientAuthenticationError | ServiceRequestError):
            raise Refused(describe(exc)) from exc
        raise Unread(describe(exc)) from exc
