"""A stand-in Kubernetes API server that serves LIST endpoints over real HTTP.

    python -m assay.standins.k8s_stub --port 6443 --manifests examples/platform/kubernetes \
        [--page-size N] [--token TOKEN]

The objects are what the API server would hold after `kubectl apply` of the manifests on a managed cluster
(see assay.standins.k8s_cluster). Lists honour `limit` and `continue` (at most --page-size items a page
whatever the client asks), carry metadata.resourceVersion, and are served as Tables with object metadata
when the Accept header asks for `as=Table` (as `kubectl get` does). Requests need "Authorization: Bearer
TOKEN". Faults are injected at /_stub/faults (see assay.standins.stub_http); an injected 410 also moves the
store's resourceVersion on, as the writes that compacted the old one would have.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from assay.standins.k8s_cluster import RESOURCES, Cluster, Resource, build_cluster
from assay.standins.process import Server, free_port, start
from assay.standins.stub_http import Fault, StubHandler, StubServer, retry_after_headers

DEFAULT_TOKEN = "assay-k8s-stub-token"
_REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    410: "Expired",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}
_EXPIRED = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new "
    "list without the continue parameter, or use the continue token in this response to retrieve the "
    "remainder of the results."
)


def status(code: int, message: str) -> dict[str, Any]:
    """A metav1.Status, as the API server reports errors."""
    reason = _REASONS.get(code, "InternalError")
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}  # fmt: skip


def encode_continue(resource_version: str, start: int) -> str:
    raw = json.dumps({"rv": resource_version, "start": start}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_continue(token: str) -> tuple[str, int]:
    data = json.loads(base64.urlsafe_b64decode(token.encode()))
    return str(data["rv"]), int(data["start"])


def _table(resource: Resource, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Secrets as `kubectl get secrets` sees them: name, type, number of keys, and the object's metadata."""
    columns = [
        {"name": "Name", "type": "string", "format": "name", "priority": 0},
        {"name": "Type", "type": "string", "format": "", "priority": 0},
        {"name": "Data", "type": "string", "format": "", "priority": 0},
        {"name": "Age", "type": "string", "format": "", "priority": 0},
    ]
    rows = [
        {
            "cells": [i["metadata"]["name"], i.get("type", "Opaque"), len(i.get("data") or {}), "9d"],
            "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": i["metadata"],
            },
        }
        for i in items
    ]
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "columnDefinitions": columns, "rows": rows}


class K8sHandler(StubHandler):
    server: K8sServer

    def serve(self, method: str, path: str, query: str) -> None:
        resource = RESOURCES.get(path.rstrip("/"))
        if method != "GET" or resource is None:
            self.reply(
                404, status(404, f"the server could not find the requested resource ({method} {path})")
            )
            return
        params = {k: v[0] for k, v in parse_qs(query).items()}
        try:
            version, start = self._position(params.get("continue"))
            limit = self._limit(params.get("limit"))
        except (ValueError, KeyError, binascii.Error):
            self.reply(400, status(400, "invalid continue token or limit"))
            return
        items = self.server.cluster.items(resource.kind)
        page = items[start : start + limit] if limit else items[start:]
        end = start + len(page)
        meta: dict[str, Any] = {"resourceVersion": version}
        if end < len(items):
            meta.update({"continue": encode_continue(version, end), "remainingItemCount": len(items) - end})
        if "as=Table" in self.headers.get("Accept", ""):
            body = {**_table(resource, page), "metadata": meta}
        else:
            body = {"kind": f"{resource.kind}List", "apiVersion": resource.api_version, "metadata": meta,
                    "items": [self._listed(i) for i in page]}  # fmt: skip
        self.reply(200, body)

    def _position(self, token: str | None) -> tuple[str, int]:
        if token is None:
            return str(self.server.cluster.resource_version), 0
        return decode_continue(token)

    def _limit(self, given: str | None) -> int:
        limit = int(given) if given else 0
        cap = self.server.page_size
        if cap and (not limit or limit > cap):
            return cap
        return limit

    @staticmethod
    def _listed(obj: dict[str, Any]) -> dict[str, Any]:
        """List items carry no kind or apiVersion: the list names them once."""
        return {k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}

    def unauthorized(self) -> None:
        self.reply(401, status(401, "Unauthorized"))

    def fault_reply(self, fault: Fault) -> None:
        code = fault.status or 500
        if code == 410:
            self.server.cluster.resource_version += 50
        message = fault.message or (
            _EXPIRED if code == 410 else f"the stub injected HTTP {code} for {self.path}"
        )
        self.reply(code, status(code, message), headers=retry_after_headers(fault))


class K8sServer(StubServer):
    def __init__(self, port: int, cluster: Cluster, token: str, page_size: int | None):
        super().__init__(port, K8sHandler, token)
        self.cluster = cluster
        self.page_size = page_size


def start_k8s_stub(
    manifests: Path,
    log: Path,
    page_size: int | None = None,
    token: str = DEFAULT_TOKEN,
    port: int | None = None,
) -> Server:
    """The stub in a child process, ready to answer."""
    port = port or free_port()
    args = [
        "-m",
        "assay.standins.k8s_stub",
        "--port",
        str(port),
        "--manifests",
        str(manifests),
        "--token",
        token,
    ]
    if page_size:
        args += ["--page-size", str(page_size)]
    return start(args, port, "/_stub/health", log)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--manifests", type=Path, required=True)
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the bearer token requests must carry")
    parser.add_argument("--page-size", type=int, default=None, help="most items served in one page")
    args = parser.parse_args(argv)
    cluster = build_cluster(args.manifests)
    server = K8sServer(args.port, cluster, args.token, args.page_size)
    total = sum(len(v) for v in cluster.objects.values())
    print(f"Kubernetes stub on http://127.0.0.1:{args.port}: {total} objects", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
