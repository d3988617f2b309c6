"""A loopback HTTP proxy between a client and a stand-in: a cloud API's round trip (`delay`, for the bench),
and chosen requests answered hollow (for the fault tests).

Every request is forwarded to the stand-in as it came (the Host header too, so links the stand-in builds,
such as ARM's nextLink, lead back through the proxy). A rule picks the `nth` request a predicate matches and
answers it, and each retry of it, with HTTP 200 and the stand-in's headers, but with an empty body, with
the real body cut in half, or with a body given (a well-formed document without what the API documents):

    with FaultProxy(moto.url) as proxy:
        rule = proxy.hollow(lambda r: r.header("X-Amz-Target").endswith(".ListKeys"), "truncated", nth=2)
        ... collect against proxy.url ...
        assert rule.fired  # how often: the answer and each retry of it

The proxy listens on 127.0.0.1 only, runs on a thread of the calling process, and forwards over plain HTTP.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
)
Hollowness = Literal["empty", "truncated"] | bytes  # bytes: this body instead (a document of the wrong shape)


@dataclass(frozen=True)
class ProxiedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def same_as(self, other: ProxiedRequest) -> bool:
        """The same request sent again: a retry differs only in its date, signature and attempt headers."""
        return self._identity() == other._identity()

    def _identity(self) -> tuple[str, str, str, bytes, str]:
        # An AWS signature's first part is its credential scope (key, day, region, service); a bearer
        # token is the same on every try.
        credential = self.header("Authorization").split(",")[0]
        return (self.method, self.path, self.query, self.body, credential)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def params(self) -> dict[str, list[str]]:
        """Query string and form body parameters together (blank values kept: `?encryption`)."""
        found = parse_qs(self.query, keep_blank_values=True)
        if self.header("Content-Type").startswith("application/x-www-form-urlencoded"):
            for name, values in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items():
                found.setdefault(name, []).extend(values)
        return found


Match = Callable[[ProxiedRequest], bool]


@dataclass
class HollowRule:
    """Answer the `nth` matching request hollow, and (with `repeat`) every time it is sent again: a client's
    retries of it, which other requests may come between, are hollow too."""

    when: Match
    body: Hollowness
    nth: int = 1
    repeat: bool = True
    matched: int = 0
    fired: int = 0
    chosen: ProxiedRequest | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, request: ProxiedRequest) -> bool:
        if not self.when(request):
            return False
        with self._lock:
            if self.chosen is None:
                self.matched += 1
                hit = self.matched == self.nth
                self.chosen = request if hit else None
            else:
                hit = self.repeat and request.same_as(self.chosen)
            self.fired += hit
            return hit

    def hollow(self, content: bytes) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return b"" if self.body == "empty" else content[: len(content) // 2]


class _Handler(BaseHTTPRequestHandler):
    server: FaultProxy
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._forward()

    def do_DELETE(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _forward(self) -> None:
        if self.server.delay:
            time.sleep(self.server.delay)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        request = ProxiedRequest(
            self.command, url.path, url.query, {k.lower(): v for k, v in headers.items()}, body
        )
        status, reply_headers, content = self.server.upstream(request, self.path, headers)
        rule = self.server.route(request)
        if rule is not None:
            status, content = 200, rule.hollow(content)
        self.send_response(status)
        for name, value in reply_headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)


class FaultProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, delay: float = 0.0, timeout: float = 120.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        target = urlsplit(upstream)
        if target.scheme != "http" or target.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError(f"the fault proxy forwards to a loopback http stand-in only, not {upstream!r}")
        self._target = (target.hostname, target.port or 80)
        self._timeout = timeout
        self.delay = delay  # seconds added to every request
        self._rules: list[HollowRule] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.served = 0  # requests forwarded

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hollow(self, when: Match, body: Hollowness, nth: int = 1, repeat: bool = True) -> HollowRule:
        rule = HollowRule(when, body, nth, repeat)
        with self._lock:
            self._rules.append(rule)
        return rule

    def route(self, request: ProxiedRequest) -> HollowRule | None:
        with self._lock:
            self.served += 1
            rules = list(self._rules)
        return next((rule for rule in rules if rule.take(request)), None)

    def upstream(
        self, request: ProxiedRequest, target: str, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        host, port = self._target
        connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
        try:
            connection.request(request.method, target, body=request.body or None, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            connection.close()

    def __enter__(self) -> FaultProxy:
        self._thread = threading.Thread(target=self.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
