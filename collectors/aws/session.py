"""boto3 sessions and clients: standard retries, the target's endpoint, a rate budget on every attempt, and
every answer checked for hollowness (collectors.aws.hollow)."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
from botocore.config import Config

from collectors.aws import hollow
from collectors.aws.api import COLLECTOR
from collectors.aws.budget import Budgets, TokenBucket
from collectors.runtime import AwsTarget

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
DEFAULT_REGION = "us-east-1"

SessionFactory = Callable[[AwsTarget], boto3.Session]


def default_session(target: AwsTarget) -> boto3.Session:
    """The target's profile, or the standard credential chain (environment, SSO, instance role)."""
    return boto3.Session(profile_name=target.profile)


def home_region(session: boto3.Session, target: AwsTarget) -> str:
    """Where global services (IAM, STS, S3 listing) are called: the session's region if it has one."""
    if session.region_name:
        return session.region_name
    if isinstance(target.regions, list) and target.regions:
        return target.regions[0]
    return DEFAULT_REGION


def _literal_host(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _drop_account_prefix(request: Any, **_: Any) -> None:
    parts = urlsplit(request.url)
    prefix, _dot, rest = parts.netloc.partition(".")
    if prefix.isdigit() and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))


def fix_account_host_prefix(client: Any, endpoint_url: str | None) -> None:
    """S3 Control puts the account id in front of the host; an IP or localhost endpoint cannot take it.

    Only for such endpoints (stand-ins like moto) is the prefix removed again before signing.
    """
    if endpoint_url and _literal_host(endpoint_url):
        client.meta.events.register("before-sign.s3-control", _drop_account_prefix)


def _spend(bucket: TokenBucket) -> Callable[..., None]:
    """A before-send handler: every HTTP attempt, retries included, waits for a token (and sends nothing)."""

    def handler(**_: Any) -> None:
        bucket.take()

    return handler


class Clients:
    """boto3 clients by (service, region), created once under a lock (a Session is not thread-safe)."""

    def __init__(
        self,
        session: boto3.Session,
        target: AwsTarget,
        budgets: Budgets,
        credentials: Mapping[str, str] | None = None,
    ):
        self._session = session
        self._target = target
        self._budgets = budgets
        self._credentials = dict(credentials or {})
        self._config = Config(
            # total_max_attempts counts the first attempt too; botocore's "max_attempts" key would add one.
            retries={"mode": "standard", "total_max_attempts": target.max_attempts},
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            user_agent_extra=COLLECTOR,
        )
        self._cache: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def assumed(self, credentials: Mapping[str, Any]) -> Clients:
        """Clients from the same session (its event handlers included) signing with AssumeRole's keys."""
        keys = {
            "aws_access_key_id": str(credentials["AccessKeyId"]),
            "aws_secret_access_key": str(credentials["SecretAccessKey"]),
            "aws_session_token": str(credentials["SessionToken"]),
        }
        return Clients(self._session, self._target, self._budgets, keys)

    def get(self, service: str, region: str) -> Any:
        with self._lock:
            client = self._cache.get((service, region))
            if client is None:
                client = self._cache[(service, region)] = self._create(service, region)
            return client

    def _create(self, service: str, region: str) -> Any:
        client = self._session.client(
            service,
            region_name=region,
            endpoint_url=self._target.endpoint_url,
            config=self._config,
            **self._credentials,
        )
        client.meta.events.register("before-send", _spend(self._budgets.bucket(service, region)))
        hollow.register(client)
        if service == "s3control":
            fix_account_host_prefix(client, self._target.endpoint_url)
        return client
