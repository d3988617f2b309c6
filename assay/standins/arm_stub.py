"""A stand-in for Azure Resource Manager that replays recorded responses over real HTTP.

    python -m assay.standins.arm_stub --port 8443 --recordings examples/platform/recordings/azure \
        [--token TOKEN]

Recordings are JSON files (every *.json below the directory) mapping "METHOD /path" to a response body, as
ARM returns it. Paths match without regard to case, as ARM's do, and the query string (api-version) is
ignored. A body that is a JSON array is a recorded multi-page list: each element is one page, and the stub
links them with nextLink (ARM pages only some lists, so the stub never cuts one itself). Requests need
"Authorization: Bearer TOKEN"; faults are injected at /_stub/faults (see assay.standins.stub_http).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from assay.standins.process import Server, free_port, start
from assay.standins.stub_http import Fault, StubHandler, StubServer, retry_after_headers

DEFAULT_TOKEN = "assay-arm-stub-token"
SKIP_TOKEN = "$skipToken"

_FAULT_CODES = {
    400: "BadRequest",
    403: "AuthorizationFailed",
    404: "ResourceNotFound",
    409: "Conflict",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


def _key(method: str, path: str) -> str:
    return f"{method.upper()} {path.rstrip('/').lower()}"


def load_recordings(root: Path) -> dict[str, list[Any]]:
    """ "METHOD /path" (lower-cased path) -> the pages of its response body."""
    found: dict[str, list[Any]] = {}
    for file in sorted(root.rglob("*.json")):
        entries = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            raise ValueError(f"{file}: expected an object mapping 'METHOD /path' to a response body")
        for request, body in entries.items():
            method, _, path = request.partition(" ")
            if not path.startswith("/"):
                raise ValueError(f"{file}: {request!r} is not 'METHOD /path'")
            found[_key(method, path)] = body if isinstance(body, list) else [body]
    return found


class ArmHandler(StubHandler):
    server: ArmServer

    def serve(self, method: str, path: str, query: str) -> None:
        pages = self.server.recordings.get(_key(method, path))
        if pages is None:
            self.reply(
                404,
                _error("ResourceNotFound", f"The stub has no recording for {method} {path}."),
            )
            return
        index = int(parse_qs(query).get(SKIP_TOKEN, ["0"])[0])
        if not 0 <= index < len(pages):
            self.reply(400, _error("InvalidSkipToken", f"{SKIP_TOKEN}={index} names no page."))
            return
        body = pages[index]
        if index + 1 < len(pages) and isinstance(body, dict):
            host = self.headers.get("Host", f"127.0.0.1:{self.server.server_port}")
            body = {**body, "nextLink": f"http://{host}{path}?api-version=stub&{SKIP_TOKEN}={index + 1}"}
        self.reply(200, body, headers={"x-ms-request-id": f"stub-{len(self.server.requests) + 1}"})

    def unauthorized(self) -> None:
        challenge = (
            'Bearer authorization_uri="https://login.microsoftonline.com/common", '
            'error="invalid_token", error_description="The access token is invalid."'
        )
        given = "missing" if "Authorization" not in self.headers else "invalid"
        self.reply(
            401,
            _error("InvalidAuthenticationToken", f"The access token is {given}."),
            headers={"WWW-Authenticate": challenge},
        )

    def fault_reply(self, fault: Fault) -> None:
        status = fault.status or 500
        code = fault.code or _FAULT_CODES.get(status, "InternalServerError")
        message = fault.message or _fault_message(status, urlsplit(self.path).path)
        self.reply(status, _error(code, message), headers=retry_after_headers(fault))


def _fault_message(status: int, path: str) -> str:
    if status == 403:
        return (
            "The client 'assay-collector' with object id '33333333-3333-3333-3333-333333333333' does not "
            f"have authorization to perform action 'read' over scope '{path}' or the scope is invalid."
        )
    if status == 429:
        return "The request is being throttled as the limit has been reached for operation type - Read."
    return f"The stub injected HTTP {status} for {path}."


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


class ArmServer(StubServer):
    def __init__(self, port: int, recordings: dict[str, list[Any]], token: str):
        super().__init__(port, ArmHandler, token)
        self.recordings = recordings


def start_arm_stub(
    recordings: Path, log: Path, token: str = DEFAULT_TOKEN, port: int | None = None
) -> Server:
    """The stub in a child process, ready to answer."""
    port = port or free_port()
    args = ["-m", "assay.standins.arm_stub", "--port", str(port), "--recordings", str(recordings)]
    return start([*args, "--token", token], port, "/_stub/health", log)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--recordings", type=Path, required=True)
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the bearer token requests must carry")
    args = parser.parse_args(argv)
    recordings = load_recordings(args.recordings)
    server = ArmServer(args.port, recordings, args.token)
    print(f"ARM stub on http://127.0.0.1:{args.port}: {len(recordings)} recorded requests", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
