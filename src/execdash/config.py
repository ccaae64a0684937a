"""Settings for one execdash installation, read from the environment only when asked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite:///./execdash.db"
DEFAULT_EVENTS_RATE_PER_CLIENT = "10/second;300/minute"
DEFAULT_EVENTS_RATE_TOTAL = "100/second"

CURRENCY_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥", "CHF": "CHF", "INR": "₹"}


class SettingsError(ValueError):
    """An environment variable holds a value execdash cannot use."""


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (use true/false)")


def _size(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name}={raw!r} is not a positive number of bytes")
    return int(value)


DEFAULT_MAX_BODY_BYTES = 1 << 20
"""Largest JSON (or other non-upload) request body: 1 MiB."""
DEFAULT_MAX_UPLOAD_BYTES = 256 << 20
"""Largest `POST /api/v1/imports` upload, all files together: 256 MiB."""


def seconds_setting(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds in (0, 3600] from `env[name]`, or `default` when unset or blank."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise SettingsError(f"{name}={raw!r} is not a number of seconds between 0 and 3600")
    return value


def default_read_concurrency() -> int:
    """Answers computed at once by default: one per core, at least two (one may wait on I/O)."""
    return max(2, os.cpu_count() or 2)


def read_concurrency(env: Mapping[str, str]) -> int:
    """`EXECDASH_READ_CONCURRENCY` (1–64): how many uncached answers one process computes at
    once; the others wait their turn without a thread, so health checks and writes stay quick."""
    raw = env.get("EXECDASH_READ_CONCURRENCY")
    if raw is None or raw.strip() == "":
        return default_read_concurrency()
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise SettingsError(
            f"EXECDASH_READ_CONCURRENCY={raw!r} is not a whole number of answers from 1 to 64"
        )
    return int(value)


def fiscal_year_start(env: Mapping[str, str]) -> int:
    """The fiscal year's first month from `EXECDASH_FISCAL_YEAR_START` (1–12), 1 when unset."""
    raw = env.get("EXECDASH_FISCAL_YEAR_START")
    if raw is None or raw.strip() == "":
        return 1
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise SettingsError(
            f"EXECDASH_FISCAL_YEAR_START={raw!r} is not a month number 1-12 "
            "(the month the fiscal year starts, e.g. 4 for April)"
        )
    return int(value)


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip() or default
    from limits import parse_many  # only the server needs it; keep CLI start-up short

    try:
        parse_many(raw)
    except ValueError:
        raise SettingsError(
            f"{name}={raw!r} is not a rate limit like '10/second;300/minute'"
        ) from None
    return raw


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, passed explicitly to the app, the CLI and the tests."""

    database_url: str = DEFAULT_DATABASE_URL
    currency: str = "GBP"
    read_requires_login: bool = False
    cookie_secure: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    write_wait_seconds: float = 30.0
    """How long a write may wait for other writes before it is answered 503 + Retry-After."""
    events_rate_per_client: str = DEFAULT_EVENTS_RATE_PER_CLIENT
    """Rate limit of anonymous `POST /api/events` per client address (`limits` notation)."""
    events_rate_total: str = DEFAULT_EVENTS_RATE_TOTAL
    """Rate limit of anonymous `POST /api/events` from all clients together."""
    fiscal_year_start: int = 1
    """The fiscal year's first month (1–12): YTD, quarters and "last year" follow it."""
    read_concurrency: int = field(default_factory=default_read_concurrency)
    """How many uncached answers are computed at once (`EXECDASH_READ_CONCURRENCY`)."""

    @property
    def currency_symbol(self) -> str:
        """The symbol shown next to money, e.g. £ for GBP."""
        return CURRENCY_SYMBOLS.get(self.currency, self.currency)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read EXECDASH_* variables; unknown currency codes are rejected with a clear message."""
        env = os.environ if env is None else env
        currency = env.get("EXECDASH_CURRENCY", "GBP").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise SettingsError(f"EXECDASH_CURRENCY={currency!r} is not an ISO 4217 code like GBP")
        return cls(
            database_url=env.get("EXECDASH_DATABASE_URL", DEFAULT_DATABASE_URL).strip()
            or DEFAULT_DATABASE_URL,
            currency=currency,
            read_requires_login=_flag(env, "EXECDASH_READ_REQUIRES_LOGIN", False),
            cookie_secure=_flag(env, "EXECDASH_COOKIE_SECURE", False),
            max_body_bytes=_size(env, "EXECDASH_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            max_upload_bytes=_size(env, "EXECDASH_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
            write_wait_seconds=seconds_setting(env, "EXECDASH_WRITE_WAIT_SECONDS", 30.0),
            events_rate_per_client=_rate(
                env, "EXECDASH_EVENTS_RATE_PER_CLIENT", DEFAULT_EVENTS_RATE_PER_CLIENT
            ),
            events_rate_total=_rate(env, "EXECDASH_EVENTS_RATE_TOTAL", DEFAULT_EVENTS_RATE_TOTAL),
            fiscal_year_start=fiscal_year_start(env),
            read_concurrency=read_concurrency(env),
        )
