"""Read a live cluster through the official client into the k8s.* snapshots the manifest reader makes.

Every LIST is paged with limit/continue. A continue token that expired (410 Gone) restarts that list from
the beginning, at most MAX_RESTARTS times; objects already pushed are not pushed again, and the
resourceVersion of the list that completed goes to report.notes["resource_versions"][kind]. 429 and 5xx
answers are retried, honouring Retry-After; anything else (403 on one kind, a read timeout) is a Failure
naming the snapshot type left incomplete, and the other kinds are still read. A refused token (401) or a
server that cannot be reached ends the collection.

An answer of HTTP 200 that is not the list asked for (an empty or truncated body, a body that is not a JSON
object, a wrong kind, no items or rows), on any page, is a HollowResponse Failure for that kind, never an
empty list.

Secrets are listed as a Table of object metadata, as `kubectl get secrets` lists them, so their values are
never requested; the last-applied annotation, which repeats the manifest's data, is dropped on arrival.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, NoReturn

import urllib3
from kubernetes.client import ApiClient, ApiException

from collectors.answers import json_object
from collectors.kubernetes.live_client import CONFIG_ERRORS, KINDS, Kind, api_client
from collectors.kubernetes.objects import LAST_APPLIED, snapshot_from_object
from collectors.runtime import CollectionReport, Failure, KubernetesTarget, Sink

COLLECTOR = "assay-k8s/0.1"
MAX_ATTEMPTS = 4  # per page, for 429 and 5xx answers
MAX_RESTARTS = 3  # per list, for continue tokens that expired
MAX_WAIT = 10.0  # seconds, whatever Retry-After says
RETRYABLE = frozenset({429, 500, 502, 503, 504})
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"


class Unread(Exception):
    """A list failed; its Failure is already in the report."""


class Refused(Unread):
    """The server refused the credential or cannot be reached: nothing more can be read."""


class Expired(Exception):
    """The continue token expired (410 Gone): the list has to start again."""


class HollowResponse(ValueError):
    """An HTTP 200 answer to a LIST that is not the list asked for."""


def read_list(kind: Kind, data: bytes) -> dict[str, Any]:
    """The page in `data`: a <Kind>List with items, or a Table with rows (Go's nil slice, null, is empty)."""
    where = f"{kind.method} answered"
    body = json_object(data, where, HollowResponse)
    expected, member = ("Table", "rows") if kind.table else (f"{kind.kind}List", "items")
    if body.get("kind") != expected:
        raise HollowResponse(f"{where} kind {body.get('kind')!r}, not {expected}")
    if member not in body or not isinstance(body[member], list | None):
        raise HollowResponse(f"{where} a {expected} with no {member} list")
    return body


def describe(exc: ApiException) -> str:
    """`Reason: message` from the Status the API server returned, else the HTTP status."""
    try:
        body = json.loads(exc.body or "")
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("message"):
        return f"{body.get('reason') or exc.reason}: {body['message']}"
    return f"HTTP {exc.status}: {exc.reason or 'no reason given'}"


def _retry_wait(exc: ApiException, attempt: int) -> float:
    header = (exc.headers or {}).get("Retry-After")
    try:
        wait = float(header) if header is not None else 0.5 * 2 ** (attempt - 1)
    except ValueError:
        wait = 0.5 * 2 ** (attempt - 1)
    return min(max(wait, 0.0), MAX_WAIT)


def _table_objects(kind: Kind, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Objects rebuilt from a Table: the row's metadata plus the columns the snapshot needs."""
    names = [str(c.get("name", "")).lower() for c in body.get("columnDefinitions") or []]
    for row in body.get("rows") or []:
        cells = dict(zip(names, row.get("cells") or [], strict=False))
        metadata = dict((row.get("object") or {}).get("metadata") or {})
        obj = {"apiVersion": kind.api_version, "kind": kind.kind, "metadata": metadata}
        if "type" in cells:
            obj["type"] = cells["type"]
        yield obj


def _list_objects(kind: Kind, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in body.get("items") or []:
        yield {"apiVersion": kind.api_version, "kind": kind.kind, **item}


def _scrub(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop what would repeat a Secret's values: data, stringData and the last-applied manifest."""
    obj.pop("data", None)
    obj.pop("stringData", None)
    annotations = (obj.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
    return obj


class Lister:
    def __init__(
        self, target: KubernetesTarget, report: CollectionReport, client: ApiClient, sink: Sink, key: bytes
    ) -> None:
        self.target, self.report, self.client, self.sink, self.key = target, report, client, sink, key

    def collect(self, kind: Kind) -> None:
        """Every object of `kind`, restarting the list when its continue token expires."""
        pushed: set[str] = set()
        for restart in range(MAX_RESTARTS + 1):
            try:
                version = self._walk(kind, pushed)
            except Expired:
                self._note("list_restarts", kind.kind, restart + 1)
                continue
            self._note("resource_versions", kind.kind, version)
            return
        self._fail(kind, f"Expired: the continue token expired {MAX_RESTARTS + 1} times in a row")

    def not_attempted(self, kinds: tuple[Kind, ...], reason: str) -> None:
        for kind in kinds:
            failure = Failure(
                self.target.name, None, kind.api_version, kind.method, reason, (kind.snapshot_type,)
            )
            self.report.failed(failure)

    def _walk(self, kind: Kind, pushed: set[str]) -> str:
        token: str | None = None
        version: str | None = None
        while True:
            body = self._page(kind, token)
            if version is None:
                version = str((body.get("metadata") or {}).get("resourceVersion", ""))
            objects = _table_objects(kind, body) if kind.table else _list_objects(kind, body)
            for obj in objects:
                self._push(kind, _scrub(obj) if kind.kind == "Secret" else obj, pushed)
            token = (body.get("metadata") or {}).get("continue") or None
            if token is None:
                return version

    def _push(self, kind: Kind, obj: dict[str, Any], pushed: set[str]) -> None:
        try:
            snapshot = snapshot_from_object(
                obj, cluster=self.target.name, source="runtime", collector=COLLECTOR, location=None,
                pseudonym_key=self.key,
            )  # fmt: skip
        except ValueError as exc:
            name = (obj.get("metadata") or {}).get("name")
            self._record(kind, f"UnreadableObject: {kind.kind} {name!r} could not be read ({exc})")
            return
        if snapshot is None or snapshot.id in pushed:
            return
        pushed.add(snapshot.id)
        self.sink(snapshot)
        self.report.saw(snapshot.type)

    def _page(self, kind: Kind, token: str | None) -> dict[str, Any]:
        """One page, retried on 429 and 5xx; raises Expired, Unread or Refused."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                body = self._request(kind, token)
            except ApiException as exc:
                if exc.status == 410 and token:
                    self.report.call(pages=0, retries=attempt - 1)
                    raise Expired from exc
                if exc.status in RETRYABLE and attempt < MAX_ATTEMPTS:
                    time.sleep(_retry_wait(exc, attempt))
                    continue
                self.report.call(pages=0, retries=attempt - 1)
                self._fail(kind, describe(exc), refused=exc.status in (0, 401))
            except (urllib3.exceptions.HTTPError, ValueError) as exc:  # ValueError: not the list asked for
                self.report.call(pages=0, retries=attempt - 1)
                unreachable = isinstance(exc, urllib3.exceptions.ConnectTimeoutError)
                self._fail(kind, f"{type(exc).__name__}: {exc}", refused=unreachable)
            self.report.call(pages=1, retries=attempt - 1)
            return body
        raise AssertionError("unreachable: the last attempt returns or fails")

    def _request(self, kind: Kind, token: str | None) -> dict[str, Any]:
        call = getattr(kind.api(self.client), kind.method)
        response = call(
            limit=self.target.page_size,
            _continue=token,
            _preload_content=False,
            _request_timeout=self.target.timeout_seconds,
            _headers={"Accept": TABLE} if kind.table else None,
        )
        try:
            return read_list(kind, response.data)
        finally:
            response.release_conn()

    def _note(self, section: str, kind: str, value: Any) -> None:
        self.report.notes.setdefault(section, {})[kind] = value

    def _record(self, kind: Kind, error: str) -> None:
        failure = Failure(self.target.name, None, kind.api_version, kind.method, error, (kind.snapshot_type,))
        self.report.failed(failure)

    def _fail(self, kind: Kind, error: str, refused: bool = False) -> NoReturn:
        self._record(kind, error)
        raise (Refused if refused else Unread)(error)


def collect_kubernetes(
    target: KubernetesTarget, sink: Sink, report: CollectionReport, *, pseudonym_key: bytes
) -> None:
    """Read every kind the Kubernetes controls judge from `target`'s API server."""
    try:
        client = api_client(target)
    except CONFIG_ERRORS as exc:
        types = tuple(sorted({k.snapshot_type for k in KINDS}))
        report.failed(Failure(target.name, None, "kubeconfig", "load", f"{type(exc).__name__}: {exc}", types))
        return
    with client:
        lister = Lister(target, report, client, sink, pseudonym_key)
        for index, kind in enumerate(KINDS):
            try:
                lister.collect(kind)
            except Refused as exc:
                lister.not_attempted(
                    KINDS[index + 1 :], f"NotAttempted: the cluster refused or failed ({exc})"
                )
                return
            except Unread:
                continue
