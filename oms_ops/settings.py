"""One settings object for every process: environment variables prefixed OMS_, defaults under ./data/."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMS_", extra="ignore")

    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = 8700
    api_key: str | None = None
    demo_password: str = "oms-demo-2026"
    demo_scale: float = 1.0
    demo_seed: int = 7
    dagster_port: int = 3000
    streamlit_port: int = 8501
    locale: str = "en_US"
    timezone: str = "Asia/Shanghai"
    session_hours: int = 12
    # Outbox delivery (services/outbox.py). With no SMTP host / SMS URL / webhook URL, messages of that
    # channel are written as files into <data dir>/mail/ instead, so a local run shows what was sent.
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "oms@oms.local"
    sms_url: str | None = None
    webhook_url: str | None = None
    role_mail: str = "{role}@oms.local"  # a role's address when none of its users has one in user_contacts
    outbox_poll_seconds: float = 2.0
    outbox_retry_seconds: float = 30.0  # first retry after this, doubling up to an hour
    outbox_max_attempts: int = 6

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def dagster_url(self) -> str:
        return f"http://{self.host}:{self.dagster_port}"

    @property
    def oms_db(self) -> Path:
        return self.data_dir / "oms.duckdb"

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake" / "oms"

    @property
    def warehouse_db(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def marts_db(self) -> Path:
        return self.data_dir / "marts.duckdb"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster"

    @cached_property
    def pipeline_api_key(self) -> str:
        """The key systems use; from OMS_API_KEY, else generated once and kept in the data folder."""
        if self.api_key:
            return self.api_key
        key_file = self.data_dir / "api_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    def child_env(self) -> dict[str, str]:
        """Variables that make a child process see the same settings as this one."""
        return {
            "OMS_DATA_DIR": str(self.data_dir.resolve()),
            "OMS_HOST": self.host,
            "OMS_PORT": str(self.port),
            "OMS_API_KEY": self.pipeline_api_key,
            "OMS_DAGSTER_PORT": str(self.dagster_port),
            "OMS_STREAMLIT_PORT": str(self.streamlit_port),
            "OMS_LOCALE": self.locale,
            "OMS_TIMEZONE": self.timezone,
        }


def get_settings() -> Settings:
    return Settings()
