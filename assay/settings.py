"""Settings from `assay.toml` and ASSAY_* environment variables (pydantic-settings)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSAY_", toml_file="assay.toml", extra="forbid")

    home: Path = Path(".assay")
    cluster_name: str = "local"  # names Kubernetes manifests' cluster in snapshot ids
    database_url: str | None = None  # default: SQLite at <home>/assay.db
    evidence_url: str | None = None  # default: file://<home>/evidence; or s3://bucket/prefix
    signing_key: str | None = (
        None  # default: Ed25519 key file <home>/keys/signing.pem; or awskms:///<key id|arn>
    )
    aws_endpoint_url: str | None = (
        None  # S3 and KMS endpoint (a stand-in such as moto); boto3 also reads AWS_*
    )
    aws_region: str | None = None
    evidence_kms_key_id: str | None = None  # SSE-KMS key for evidence objects on S3

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'assay.db'}"

    @property
    def evidence(self) -> str:
        return self.evidence_url or f"file://{self.home / 'evidence'}"

    @property
    def signing(self) -> str:
        return self.signing_key or str(self.home / "keys" / "signing.pem")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def pseudonym_key(self) -> bytes:
        """The HMAC key that turns people's identifiers into pseudonyms; created on first use, mode 0600."""
        path = self.home / "pseudonym.key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process created it first: use theirs
                return path.read_bytes()
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        return path.read_bytes()
