"""Rewrite the seed's materialised tables `timeframe_window` and `executive_kpis` from live data.

They hold the default view (12m, month, latest as_of, changes against the previous period) so
tools reading the seed tables directly see exactly what the API serves; the `ytd` row starts at
the configured fiscal year's first month (`EXECDASH_FISCAL_YEAR_START`). `record_data_change`
calls `refresh` in the writer's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.config import Settings, SettingsError
from execdash.db import schema as s
from execdash.metrics import kpi_store
from execdash.metrics.executive import SOURCE_TABLES, kpis
from execdash.metrics.models import Kpi, seed_unit
from execdash.metrics.queries import latest_month
from execdash.metrics.windows import RANGES, Window, resolve_window

DEFAULT_RANGE = "12m"
DEFAULT_GRANULARITY = "month"

KPI_SOURCE_TABLES = SOURCE_TABLES
"""Tables the ten KPIs read; a change elsewhere (alerts, risks, events) needs no refresh."""


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What `refresh` wrote."""

    as_of: str
    windows: list[Window]
    kpis: list[Kpi]


def default_window(
    conn: sa.Connection, today: dt.date | None = None, fiscal_start: int | None = None
) -> Window:
    """The window the materialised tables describe: 12m, month, ending at the latest data month."""
    start = configured_fiscal_start() if fiscal_start is None else fiscal_start
    return resolve_window(
        DEFAULT_RANGE, DEFAULT_GRANULARITY, None, latest_month(conn), today, fiscal_start=start
    )


def needs_refresh(tables: set[str]) -> bool:
    """True when a change to `tables` can move a KPI (an unnamed change always can)."""
    return not tables or bool(tables & KPI_SOURCE_TABLES)


def configured() -> Settings:
    """The settings from the environment, the defaults when they are unusable (the server and
    the CLI refuse to start with an unusable value, so this only shields a library caller)."""
    try:
        return Settings.from_env()
    except SettingsError:
        return Settings()


def configured_symbol() -> str:
    """The configured currency's symbol (EXECDASH_CURRENCY), £ when it is unset or unusable."""
    return configured().currency_symbol


def configured_fiscal_start() -> int:
    """The configured fiscal year start month (EXECDASH_FISCAL_YEAR_START), 1 when unset."""
    return configured().fiscal_year_start


def refresh(
    conn: sa.Connection,
    currency_symbol: str | None = None,
    today: dt.date | None = None,
    fiscal_start: int | None = None,
) -> Refreshed:
    """Rewrite both tables in the caller's transaction and return what was written."""
    if currency_symbol is None or fiscal_start is None:
        settings = configured()
        currency_symbol = currency_symbol or settings.currency_symbol
        fiscal_start = settings.fiscal_year_start if fiscal_start is None else fiscal_start
    latest = latest_month(conn)
    windows = [
        resolve_window(r, DEFAULT_GRANULARITY, None, latest, today, fiscal_start=fiscal_start)
        for r in RANGES
    ]
    window = next(w for w in windows if w.range_key == DEFAULT_RANGE)
    values = kpis(conn, window, fresh=True)
    kpi_store.store(conn, window, values, SOURCE_TABLES)
    conn.execute(s.timeframe_window.delete())
    conn.execute(
        s.timeframe_window.insert(),
        [
            {
                "id": i,
                "range": w.range_key,
                "start_date": w.start_date,
                "end_date": w.end_date,
                "granularity": w.granularity,
            }
            for i, w in enumerate(windows, start=1)
        ],
    )
    conn.execute(s.executive_kpis.delete())
    conn.execute(
        s.executive_kpis.insert(),
        [
            {
                "key": k.key,
                "label": k.label,
                "value": k.value,
                "unit": seed_unit(k.unit, currency_symbol),
                "delta": k.delta,
                "direction": k.direction,
            }
            for k in values
        ],
    )
    return Refreshed(window.as_of, windows, values)
