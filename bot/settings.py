"""One typed settings object, read once from the environment.

Defaults run on a laptop: everything binds to 127.0.0.1, the lead store and
Rasa's tracker store are SQLite files in one data folder (``var/``). Secrets
(the Rasa API token, the webhook secret, the Slack webhook, the SMTP password)
only ever come from the environment.
"""

from __future__ import annotations

import ipaddress
from datetime import time
from functools import lru_cache
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: assume other machines can reach it


def _split(addresses: str) -> list[str]:
    return [part.strip() for part in addresses.split(",") if part.strip()]


class Settings(BaseSettings):
    """Every knob of the running product, each from a ``DMQL_*`` variable."""

    # Errors name the variable, never its value: some values are secrets.
    model_config = SettingsConfigDict(
        env_prefix="DMQL_", extra="ignore", hide_input_in_errors=True
    )

    host: str = "127.0.0.1"
    rasa_port: int = Field(default=5005, ge=1, le=65535)
    actions_port: int = Field(default=5055, ge=1, le=65535)
    web_port: int = Field(default=8000, ge=1, le=65535)

    data_dir: Path = PROJECT_ROOT / "var"
    database_url: str | None = None
    rules_path: Path = PROJECT_ROOT / "scoring.yml"
    models_dir: Path = PROJECT_ROOT / "models"

    #: When `dmql run` re-scores every lead each day (UTC, HH:MM), so scores
    #: fade on time; "off" leaves it to the operator (`dmql rescore`).
    rescore_at: time | None = time(3, 0)

    rasa_token: str | None = None
    public_rasa_url: str | None = None

    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=30)
    outbox_poll_s: float = Field(default=1.0, gt=0, le=60)

    #: Where a rep's link to a lead points (the sales inbox's public address).
    public_web_url: str | None = None
    #: A Slack incoming webhook for handoffs (it holds Slack's secret).
    slack_webhook_url: str | None = None
    #: Email to the sales team: the SMTP server, its login and the addresses.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    email_from: str | None = None
    sales_email: str | None = None
    #: The sales inbox's password (HTTP Basic; any user name).
    inbox_password: str | None = Field(default=None, min_length=12)

    @field_validator("rescore_at", mode="before")
    @classmethod
    def _rescore_off(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if value.strip().lower() in ("off", ""):
            return None
        try:
            at = time.fromisoformat(value.strip())
            if at.tzinfo is None:
                return at
        except ValueError:
            pass
        raise ValueError(
            f"{value!r} is no time of day: use HH:MM in UTC (24-hour), "
            "e.g. 03:00, or off"
        )

    @field_validator("webhook_secret")
    @classmethod
    def _secret_format(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("whsec_"):
            raise ValueError(
                "must be a Standard Webhooks secret: 'whsec_' followed by "
                "base64, e.g. generate one with `dmql webhook-secret`"
            )
        return value

    @field_validator("slack_webhook_url")
    @classmethod
    def _slack_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(
                "must be the https URL of a Slack incoming webhook, "
                "https://hooks.slack.com/services/..."
            )
        return value

    @field_validator("email_from", "sales_email")
    @classmethod
    def _addresses(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _split(value):
            raise ValueError("needs at least one email address")
        for address in _split(value):
            try:
                validate_email(
                    address, check_deliverability=False, allow_display_name=True
                )
            except EmailNotValidError as exc:
                raise ValueError(f"{address!r} is not an email address: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _email_complete(self) -> Settings:
        if self.smtp_host and not (self.email_from and self.sales_email):
            raise ValueError(
                "DMQL_SMTP_HOST is set, so DMQL_EMAIL_FROM (the sender) and "
                "DMQL_SALES_EMAIL (comma-separated recipients) are needed too"
            )
        return self

    @field_validator("inbox_password")
    @classmethod
    def _typeable(cls, value: str | None) -> str | None:
        if value is not None and not value.isascii():
            raise ValueError("use letters, digits and signs a browser can send (ASCII)")
        return value

    @model_validator(mode="after")
    def _inbox_guarded(self) -> Settings:
        public = self.public_web_url or not _is_loopback(self.host)
        if public and not self.inbox_password:
            raise ValueError(
                "the sales inbox would be reachable from other machines "
                f"(DMQL_HOST={self.host}"
                + (
                    f", DMQL_PUBLIC_WEB_URL={self.public_web_url}"
                    if self.public_web_url
                    else ""
                )
                + "): set DMQL_INBOX_PASSWORD (12 characters or more)"
            )
        return self

    @property
    def sales_recipients(self) -> tuple[str, ...]:
        """``DMQL_SALES_EMAIL`` as a list of addresses."""
        return tuple(_split(self.sales_email or ""))

    @property
    def lead_database_url(self) -> str:
        """The lead store's URL: ``DMQL_DATABASE_URL`` or a SQLite file."""
        return self.database_url or f"sqlite:///{self.data_dir / 'leads.db'}"

    @property
    def rasa_url(self) -> str:
        """Where the web app and the tests reach the Rasa server."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def browser_rasa_url(self) -> str:
        """Where the visitor's browser reaches the Rasa server."""
        return self.public_rasa_url or f"http://localhost:{self.rasa_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process; a bad value stops with its fix."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            (f"DMQL_{name.upper()}: " if name else "") + err["msg"]
            for err in exc.errors()
            for name in ["_".join(str(p) for p in err["loc"])]
        )
        # Not chained: the validation error would carry every value, secrets too.
        raise ConfigError(f"invalid environment settings: {problems}") from None
