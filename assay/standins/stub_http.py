"""What the stub API servers share: bearer-token checks, injected faults, a request log, JSON replies.

Control endpoints (no token needed, the servers listen on 127.0.0.1 only):

    GET    /_stub/health     200 {"ok": true}: the readiness probe
    POST   /_stub/faults     add a fault: {"path_contains": "/pods", "status": 503, "times": 2,
                             "method": "GET", "query_contains": "continue=", "delay": 0.0,
                             "retry_after": 0.5, "code": "ServerBusy", "message": "..."}
    DELETE /_stub/faults     drop every fault
    GET    /_stub/requests   the requests served so far: [{"method", "path", "query", "accept", "status"}]
    POST   /_stub/reset      drop faults and the request log

A fault answers the first `times` matching requests (all of them when `times` is 0) with `status`, after
sleeping `delay` seconds; a fault with no status only delays, then the request is served as usual.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

CONTROL = "/_stub/"


@dataclass
class Fault:
    path_contains: str = ""
    status: int | None = None
    times: int = 1
    method: str | None = None
    query_contains: str = ""
    delay: float = 0.0
    retry_after: float | None = None
    code: str | None = None
    message: str | None = None

    def matches(self, method: str, path: str, query: str) -> bool:
        return (
            (self.method is None or self.method.upper() == method)
            and self.path_contains.lower() in path.lower()
            and self.query_contains in query
        )


class FaultBook:
    """Faults waiting to fire, in the order they were added; thread-safe."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> Fault:
        fault = Fault(**spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str, query: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path, query):
                    if fault.times == 1:
                        self._faults.remove(fault)
                    elif fault.times > 1:
                        fault.times -= 1
                    return fault
        return None


class StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, handler: type[StubHandler], token: str) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self.token = token
        self.faults = FaultBook()
        self.requests: list[dict[str, Any]] = []
        self.log_lock = threading.Lock()


class StubHandler(BaseHTTPRequestHandler, ABC):
    """Dispatch: control endpoints, then the bearer token, then faults, then `serve`."""

    server: StubServer
    protocol_version = "HTTP/1.1"

    # --- for subclasses ------------------------------------------------------------------------------

    @abstractmethod
    def serve(self, method: str, path: str, query: str) -> None:
        """Each stub answers this its own way."""

    @abstractmethod
    def unauthorized(self) -> None:
        """Each stub answers this its own way."""

    @abstractmethod
    def fault_reply(self, fault: Fault) -> None:
        """Each stub answers this its own way."""

    # --- plumbing ------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        return  # the request log at /_stub/requests replaces stderr noise

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        if url.path.startswith(CONTROL):
            self._control(method, url.path[len(CONTROL) :])
            return
        if self.headers.get("Authorization") != f"Bearer {self.server.token}":
            self.unauthorized()
            return
        fault = self.server.faults.take(method, url.path, url.query)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            self.fault_reply(fault)
            return
        self.serve(method, url.path, url.query)

    def _control(self, method: str, action: str) -> None:
        server = self.server
        if action == "health":
            self.reply(200, {"ok": True})
        elif action == "faults" and method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            try:
                fault = server.faults.add(json.loads(self.rfile.read(length) or b"{}"))
            except (TypeError, ValueError) as exc:
                self.reply(400, {"error": f"not a fault: {exc}"})
                return
            self.reply(201, {"added": vars(fault)})
        elif action == "faults" and method == "DELETE":
            server.faults.clear()
            self.reply(200, {"cleared": True})
        elif action == "requests":
            with server.log_lock:
                self.reply(200, list(server.requests), log=False)
        elif action == "reset" and method == "POST":
            server.faults.clear()
            with server.log_lock:
                server.requests.clear()
            self.reply(200, {"reset": True})
        else:
            self.reply(404, {"error": f"no control endpoint {method} {CONTROL}{action}"})

    def reply(self, status: int, body: Any, headers: dict[str, str] | None = None, log: bool = True) -> None:
        payload = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        url = urlsplit(self.path)
        if log and not url.path.startswith(CONTROL):
            with self.server.log_lock:
                self.server.requests.append(
                    {
                        "method": self.command,
                        "path": url.path,
                        "query": url.query,
                        "accept": self.headers.get("Accept"),
                        "status": status,
                    }
                )


def retry_after_headers(fault: Fault) -> dict[str, str]:
    """Retry-After for whole seconds; for a fraction of one only retry-after-ms, as Azure services send."""
    if fault.retry_after is None:
        return {}
    if float(fault.retry_after).is_integer():
        return {"Retry-After": str(int(fault.retry_after))}
    return {"retry-after-ms": str(round(fault.retry_after * 1000))}


class StubControl:
    """The control endpoints of a running stub, for tests and the demo."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _call(self, method: str, action: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{self.url}{CONTROL}{action}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def fault(self, **spec: Any) -> None:
        """Add a fault; see the module docstring for the fields."""
        self._call("POST", "faults", spec)

    def requests(self) -> list[dict[str, Any]]:
        """The API requests served so far (control calls excluded)."""
        served: list[dict[str, Any]] = self._call("GET", "requests")
        return served

    def reset(self) -> None:
        self._call("POST", "reset", {})
