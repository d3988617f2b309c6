"""The Azure SDK management clients for one target: credential, endpoint, retries, timeouts, attempt count."""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from azure.core.credentials import AccessToken, TokenCredential
from azure.identity import ClientSecretCredential, EnvironmentCredential
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.security import SecurityCenter
from azure.mgmt.storage import StorageManagementClient

from collectors.runtime import AzureTarget

RETRIES = 5  # per request, after the first try: 429, 5xx, connection and read errors, with the SDK's backoff
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class StaticTokenCredential:
    """A bearer token given with the target (stand-ins, tests, a token minted elsewhere), used as is."""

    def __init__(self, token: str) -> None:
        self._token = token

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        return AccessToken(self._token, int(time.time()) + 3600)


class Attempts:
    """Counts HTTP attempts: the SDK calls the request hook once per try, retries included."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, request: Any) -> None:
        self.count += 1

    def take(self) -> int:
        """Attempts since the last take."""
        count, self.count = self.count, 0
        return count


def credential_for(target: AzureTarget) -> TokenCredential:
    if target.token:
        return StaticTokenCredential(target.token)
    if target.client_secret:
        if not (target.tenant_id and target.client_id):
            raise ValueError("a client_secret needs tenant_id and client_id (the service principal)")
        return ClientSecretCredential(target.tenant_id, target.client_id, target.client_secret)
    return EnvironmentCredential()


def call_options(endpoint: str) -> dict[str, Any]:
    """Per-request options: bearer tokens go over plain HTTP only to a stand-in on this machine."""
    url = urlsplit(endpoint)
    if url.scheme == "https" and url.hostname:
        return {}
    if url.scheme == "http" and url.hostname in LOOPBACK:
        return {"enforce_https": False}
    raise ValueError(f"arm_endpoint {endpoint!r} must be an https URL (plain http only on 127.0.0.1)")


@dataclass
class ArmClients:
    """One client per resource provider, sharing the credential, endpoint and attempt counter."""

    subscription_id: str
    options: dict[str, Any]
    attempts: Attempts
    storage: StorageManagementClient
    network: NetworkManagementClient
    aks: ContainerServiceClient
    postgres: PostgreSQLManagementClient
    keyvault: KeyVaultManagementClient
    monitor: MonitorManagementClient
    security: SecurityCenter
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)

    def __enter__(self) -> ArmClients:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stack.close()


def open_clients(target: AzureTarget) -> ArmClients:
    """Clients for `target`; raises ValueError when the target cannot be used as configured."""
    options = call_options(target.arm_endpoint)
    endpoint = target.arm_endpoint.rstrip("/")
    attempts = Attempts()
    common: dict[str, Any] = {
        "base_url": endpoint,
        "credential_scopes": [f"{endpoint}/.default"],
        "retry_total": RETRIES,
        "retry_status": RETRIES,
        "retry_connect": RETRIES,
        "retry_read": RETRIES,
        "connection_timeout": CONNECT_TIMEOUT,
        "read_timeout": READ_TIMEOUT,
        "raw_request_hook": attempts,
    }
    credential, sub = credential_for(target), target.subscription_id
    stack = ExitStack()
    made: dict[str, Any] = {
        name: stack.enter_context(cls(credential, sub, **common))
        for name, cls in (
            ("storage", StorageManagementClient),
            ("network", NetworkManagementClient),
            ("aks", ContainerServiceClient),
            ("postgres", PostgreSQLManagementClient),
            ("keyvault", KeyVaultManagementClient),
            ("monitor", MonitorManagementClient),
            ("security", SecurityCenter),
        )
    }
    return ArmClients(sub, options, attempts, _stack=stack, **made)
