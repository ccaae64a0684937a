"""Delivery settings from the environment: the SMTP server, retries, links and the digest hour."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from execdash.config import SettingsError, seconds_setting

SECURITY_MODES = ("starttls", "tls", "none")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How to reach the mail server; credentials come from the environment only."""

    host: str | None = None
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "execdash@localhost"
    timeout: float = 30.0
    ca_file: str | None = None
    """A PEM bundle to trust instead of the system's (a company's own CA)."""

    @property
    def configured(self) -> bool:
        """True when a host is set: email can be sent."""
        return bool(self.host)


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    """Everything `execdash.delivery` reads from the environment."""

    smtp: SmtpSettings = SmtpSettings()
    public_url: str = DEFAULT_PUBLIC_URL
    """Where the dashboard is reached, for links in messages."""
    max_attempts: int = 8
    webhook_timeout: float = 10.0
    digest_hour: int = 7
    """Hour (UTC) from which a period's digest is due: Mondays (weekly), the 1st (monthly)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DeliverySettings:
        """Read the EXECDASH_SMTP_* and EXECDASH_DELIVERY_* variables, naming a bad one."""
        env = os.environ if env is None else env

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        security = (text("EXECDASH_SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY_MODES:
            raise SettingsError(
                f"EXECDASH_SMTP_SECURITY={security!r} is not one of {', '.join(SECURITY_MODES)}"
            )
        smtp = SmtpSettings(
            host=text("EXECDASH_SMTP_HOST"),
            port=_int(env, "EXECDASH_SMTP_PORT", DEFAULT_PORTS[security], 1, 65535),
            security=security,
            username=text("EXECDASH_SMTP_USERNAME"),
            password=env.get("EXECDASH_SMTP_PASSWORD") or None,
            sender=text("EXECDASH_SMTP_FROM") or "execdash@localhost",
            timeout=seconds_setting(env, "EXECDASH_SMTP_TIMEOUT", 30.0),
            ca_file=text("EXECDASH_SMTP_CA_FILE"),
        )
        if smtp.username and smtp.password is None:
            raise SettingsError("EXECDASH_SMTP_USERNAME is set but EXECDASH_SMTP_PASSWORD is not")
        return cls(
            smtp=smtp,
            public_url=(text("EXECDASH_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/"),
            max_attempts=_int(env, "EXECDASH_DELIVERY_MAX_ATTEMPTS", 8, 1, 20),
            webhook_timeout=seconds_setting(env, "EXECDASH_WEBHOOK_TIMEOUT", 10.0),
            digest_hour=_int(env, "EXECDASH_DIGEST_HOUR", 7, 0, 23),
        )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(f"{name}={raw!r} is not a whole number from {low} to {high}")
    return int(raw)
