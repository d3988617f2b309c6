"""A fresh AWS account in the shared moto server for each test, and a collector run against it.

moto keeps the resources of an assumed role's account apart, so each test assumes a role in an account
of its own (the collector does the same through `target.role_arn`) and sees only what it seeded.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.config import Config

from collectors.aws import collect_aws
from collectors.aws.session import fix_account_host_prefix
from collectors.runtime import AwsTarget, CollectionReport
from collectors.snapshot import ResourceSnapshot

BASE_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SessionHook = Callable[[boto3.Session], None]


@dataclass
class Collected:
    snapshots: list[ResourceSnapshot]
    report: CollectionReport

    def of(self, snapshot_type: str) -> list[ResourceSnapshot]:
        return [s for s in self.snapshots if s.type == snapshot_type]

    def named(self, snapshot_type: str, name: str) -> ResourceSnapshot:
        found = [s for s in self.of(snapshot_type) if s.name == name]
        assert len(found) == 1, f"{len(found)} {snapshot_type} named {name}"
        return found[0]


@dataclass
class Account:
    """One moto account: seeding clients for it, and a collection of it."""

    endpoint: str
    account_id: str = field(default_factory=lambda: str(secrets.randbelow(9 * 10**11) + 10**11))
    external_id: str = "assay-test-external-id"
    _keys: dict[str, str] = field(default_factory=dict)

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role/assay-collector"

    def client(self, service: str, region: str = "us-east-1") -> Any:
        if not self._keys:
            sts = boto3.client("sts", endpoint_url=self.endpoint, region_name=region, **BASE_KEYS)
            keys = sts.assume_role(RoleArn=self.role_arn, RoleSessionName="seed")["Credentials"]
            self._keys = {
                "aws_access_key_id": keys["AccessKeyId"],
                "aws_secret_access_key": keys["SecretAccessKey"],
                "aws_session_token": keys["SessionToken"],
            }
        config = Config(retries={"mode": "standard", "max_attempts": 2})
        made = boto3.client(
            service, endpoint_url=self.endpoint, region_name=region, config=config, **self._keys
        )
        if service == "s3control":
            fix_account_host_prefix(made, self.endpoint)
        return made

    def target(self, **overrides: Any) -> AwsTarget:
        settings: dict[str, Any] = {
            "name": "moto-account",
            "role_arn": self.role_arn,
            "external_id": self.external_id,
            "endpoint_url": self.endpoint,
            "regions": ["us-east-1"],
            "max_attempts": 3,
            "calls_per_second": 1000.0,
        }
        settings.update(overrides)
        return AwsTarget(**settings)

    def collect(self, hook: SessionHook | None = None, max_workers: int = 8, **overrides: Any) -> Collected:
        """Collect this account; `hook` may register botocore event handlers on the session first."""

        def session(target: AwsTarget) -> boto3.Session:
            made = boto3.Session(region_name="us-east-1", **BASE_KEYS)
            if hook is not None:
                hook(made)
            return made

        target = self.target(**overrides)
        report = CollectionReport(target=target.name, provider="aws")
        snapshots: list[ResourceSnapshot] = []
        collect_aws(target, snapshots.append, report, session_factory=session, max_workers=max_workers)
        return Collected(snapshots, report)


@pytest.fixture
def account(moto_endpoint: str) -> Account:
    return Account(moto_endpoint)


def unique(prefix: str) -> str:
    """A bucket-safe name no other test (or run against the same server) uses."""
    return f"{prefix}-{secrets.token_hex(5)}"
