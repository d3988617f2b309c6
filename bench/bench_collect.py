"""Runtime collection: a moto account seeded with >= 10,000 resources across services and regions,
collected and judged with the threaded collector and with a sequential one, in the same run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3

from assay.standins.fault_proxy import FaultProxy
from assay.standins.platform import FAKE_AWS
from assay.standins.process import start_moto

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
LATENCY = 0.015
PER_REGION = {"log_groups": 1700, "security_groups": 1100, "kms_keys": 200}
BUCKETS, POLICIES = 600, 600


def _client(url: str, service: str, region: str = "us-east-1") -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _seed_region(url: str, region: str) -> int:
    logs, ec2, kms = (_client(url, s, region) for s in ("logs", "ec2", "kms"))
    for i in range(PER_REGION["log_groups"]):
        logs.create_log_group(logGroupName=f"/bench/{region}/{i}")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for i in range(PER_REGION["security_groups"]):
        ec2.create_security_group(GroupName=f"sg-{i}", Description="bench", VpcId=vpc)
    for _ in range(PER_REGION["kms_keys"]):
        kms.create_key(Description="bench")
    return sum(PER_REGION.values())


def _seed_global(url: str) -> int:
    s3, iam = _client(url, "s3"), _client(url, "iam")
    for i in range(BUCKETS):
        s3.create_bucket(Bucket=f"bench-bucket-{i}")
    for i in range(POLICIES):
        iam.create_policy(
            PolicyName=f"bench-{i}",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
                }
            ),
        )
    return BUCKETS + POLICIES


def _measure(url: str, workers: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.collect_worker", url, str(workers), ",".join(REGIONS)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, **FAKE_AWS})
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run() -> None:
    server = start_moto(Path(tempfile.mkdtemp(prefix="assay-bench-moto-")) / "moto.log")
    try:
        with ThreadPoolExecutor(4) as pool:
            seeded = sum(pool.map(lambda r: _seed_region(server.url, r), REGIONS)) + _seed_global(server.url)
        print(f"== collect: moto seeded with {seeded} resources in {len(REGIONS)} regions")
        threaded = _measure(server.url, 8)
        sequential = _measure(server.url, 1)
        with FaultProxy(server.url, delay=LATENCY) as proxy:
            threaded_wan = _measure(proxy.url, 8)
            sequential_wan = _measure(proxy.url, 1)
    finally:
        server.stop()
    _report("moto directly", threaded, sequential)
    _report(
        f"moto behind {LATENCY * 1000:.0f} ms of latency per call (a cloud API round trip)",
        threaded_wan,
        sequential_wan,
    )


def _report(title: str, threaded: dict[str, Any], sequential: dict[str, Any]) -> None:
    print(f"-- {title}")
    for name, m in (("threaded (8)", threaded), ("sequential", sequential)):
        print(
            f"{name:13} {m['resources']} resources, {m['calls']} calls, {m['status']}: "
            f"{m['seconds']:.1f} s = {m['resources'] / m['seconds']:,.0f} resources/s end to end; "
            f"peak RSS {m['rss_mb']:.0f} MB"
        )
    print(
        f"threads over sequential: {sequential['seconds'] / threaded['seconds']:.1f}x faster (target >= 3x)"
    )
