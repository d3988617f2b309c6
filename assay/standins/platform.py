"""The example platform's running state in local stand-ins, on the ports examples/demo.toml names."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

from assay.standins.arm_stub import start_arm_stub
from assay.standins.k8s_stub import start_k8s_stub
from assay.standins.process import Server, start_moto
from assay.standins.seed_aws import seed

EXAMPLE = Path("examples/platform")
# Fixed, so examples/demo.toml can name them, and below Linux's ephemeral range (32768-60999): a client
# connection's local port can never be holding one of them when the stand-ins start.
PORTS = {"aws": 24566, "azure": 24567, "kubernetes": 24568}
TOKEN = "assay-stand-in"
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def use_fake_aws_credentials() -> None:
    """moto takes any credentials: make sure boto3 finds some, never overriding ones set on purpose."""
    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)


@contextmanager
def running_platform(logs: Path, example: Path = EXAMPLE) -> Iterator[dict[str, str]]:
    use_fake_aws_credentials()
    servers: list[Server] = []
    try:
        moto = start_moto(logs / "moto.log", PORTS["aws"])
        servers.append(moto)

        def client(service: str) -> Any:
            return boto3.client(service, endpoint_url=moto.url, region_name="us-east-1")

        seed(client)
        azure = example / "recordings" / "azure"
        servers.append(start_arm_stub(azure, logs / "arm.log", TOKEN, PORTS["azure"]))
        servers.append(
            start_k8s_stub(example / "kubernetes", logs / "k8s.log", token=TOKEN, port=PORTS["kubernetes"])
        )
        yield {name: f"http://127.0.0.1:{port}" for name, port in PORTS.items()}
    finally:
        for server in reversed(servers):
            server.stop()
