"""Rewrite the seed's materialised tables `timeframe_window` and `executive_kpis` from live data.

They hold the default view (12m, month, latest as_of) so tools reading the seed tables directly
see exactly what the API serves; `record_data_change` calls `refresh` in the writer's transaction.
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


def default_window(conn: sa.Connection, today: dt.date | None = None) -> Window:
    """The window the materialised tables describe: 12m, month, ending at the latest data month."""
    return resolve_window(DEFAULT_RANGE, DEFAULT_GRANULARITY, None, latest_month(conn), today)


def needs_refresh(tables: set[str]) -> bool:
    """True when a change to `tables` can move a KPI (an unnamed change always can)."""
    return not tables or bool(tables & KPI_SOURCE_TABLES)


def configured_symbol() -> str:
    """The configured currency's symbol (EXECDASH_CURRENCY), £ when it is unset or unusable."""
    try:
        return Settings.from_env().currency_symbol
    except SettingsError:
        return "£"


def refresh(
    conn: sa.Connection, currency_symbol: str | None = None, today: dt.date | None = None
) -> Refreshed:
    """Rewrite both tables in the caller's transaction and return what was written."""
    currency_symbol = currency_symbol or configured_symbol()
    latest = latest_month(conn)
    windows = [resolve_window(r, DEFAULT_GRANULARITY, None, latest, today) for r in RANGES]
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
