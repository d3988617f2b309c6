"""Run a stand-in server in a child process and wait until it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class StandInError(RuntimeError):
    """A stand-in server that would not start; the message holds its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(args: list[str], port: int, probe: str, log: Path, timeout: float = 30.0) -> Server:
    """`python <args>` listening on 127.0.0.1:port; ready when GET url+probe answers (any HTTP status)."""
    url = f"http://127.0.0.1:{port}"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, *args], stdout=sink, stderr=subprocess.STDOUT)
    server = Server(url, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StandInError(
                f"{args[1] if len(args) > 1 else args[0]} exited with {process.returncode}:\n"
                f"{log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(f"{url}{probe}", timeout=1):
                return server
        except urllib.error.HTTPError:
            return server  # it answered
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    server.stop()
    raise StandInError(f"no answer on {url} within {timeout:.0f}s:\n{log.read_text(errors='replace')}")


def start_moto(log: Path, port: int | None = None) -> Server:
    port = port or free_port()
    return start(["-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port, "/moto-api/", log)
