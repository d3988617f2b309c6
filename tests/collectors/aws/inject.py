"""Faults injected at the botocore layer: handlers that answer instead of the (moto) server.

`before-call` handlers answer with a parsed response (the request never leaves the client); `before-send`
handlers answer with raw HTTP, so botocore parses it and applies its retry rules as for a real reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

SessionHook = Callable[[boto3.Session], None]


class _Body:
    def __init__(self, content: bytes):
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


def http_reply(
    url: str, status: int, content: bytes, content_type: str = "application/x-amz-json-1.1"
) -> AWSResponse:
    return AWSResponse(
        url, status, {"Content-Type": content_type, "x-amzn-RequestId": "injected"}, _Body(content)
    )


def json_error(code: str, message: str) -> bytes:
    return f'{{"__type":"{code}","message":"{message}"}}'.encode()


def xml_error(code: str, message: str) -> bytes:
    return f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()


def refuse(
    event: str, code: str, message: str = "injected", when: Callable[[dict[str, Any]], bool] = lambda _: True
) -> SessionHook:
    """Calls matching `event` (e.g. "before-call.kms.ListKeys") whose request (botocore's request dict:
    url, headers, body) satisfies `when` fail with `code`, HTTP 400; the others go through."""

    def answer(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not when(params):
            return None
        parsed = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 400}}
        return http_reply("https://injected", 400, b""), parsed

    return lambda session: session.events.register(event, answer)


def answer_with(event: str, parsed: dict[str, Any]) -> SessionHook:
    """Every call matching `event` succeeds with `parsed`, without reaching the server."""

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        return http_reply("https://injected", 200, b""), {
            **parsed,
            "ResponseMetadata": {"HTTPStatusCode": 200},
        }

    return lambda session: session.events.register(event, answer)


class Storm:
    """The first `failures` HTTP attempts matching `event` get `status` and `content`; the rest go through."""

    def __init__(self, event: str, failures: int, status: int, content: bytes, content_type: str):
        self.event = event
        self.failures = failures
        self.status = status
        self.content = content
        self.content_type = content_type
        self.injected = 0
        self.passed = 0
        self._lock = threading.Lock()

    def _send(self, request: Any, **_: Any) -> AWSResponse | None:
        with self._lock:
            if self.injected < self.failures:
                self.injected += 1
                return http_reply(request.url, self.status, self.content, self.content_type)
            self.passed += 1
            return None

    def hook(self, session: boto3.Session) -> None:
        session.events.register(self.event, self._send)


def combine(*hooks: SessionHook) -> SessionHook:
    def apply(session: boto3.Session) -> None:
        for hook in hooks:
            hook(session)

    return apply
