"""The expected band of a metric over a window's months, for its chart (API: /api/v1/bands)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.alerts import store
from execdash.alerts.anomaly import DEFAULT_SENSITIVITY, band
from execdash.alerts.catalog import METRICS, Monthly, monthly_values
from execdash.metrics.windows import Window, add_months, month_key

HISTORY_MONTHS = 24


@dataclass(frozen=True, slots=True)
class BandPoint:
    """One month: the value, the expected value and the band (None when history is short)."""

    period: str
    value: float | None
    expected: float | None
    lower: float | None
    upper: float | None
    outside: bool


def band_points(
    monthly: Monthly, months: tuple[dt.date, ...], unit: str, sensitivity: float
) -> list[BandPoint]:
    """The band of each month (pure)."""
    out = []
    for month in months:
        b = band(monthly, month, unit, sensitivity)
        value = monthly.get(month)
        outside = b is not None and value is not None and not b.lower <= value <= b.upper
        out.append(
            BandPoint(
                month_key(month), value, b.expected if b else None, b.lower if b else None,
                b.upper if b else None, outside,
            )
        )  # fmt: skip
    return out


def rule_sensitivity(conn: sa.Connection, key: str) -> float:
    """The sensitivity of the metric's first enabled anomaly rule, else the default (3)."""
    for r in store.rules(conn, enabled_only=True):
        if r.spec.metric == key and r.spec.kind == "anomaly" and r.spec.sensitivity:
            return r.spec.sensitivity
    return DEFAULT_SENSITIVITY


def metric_band(
    conn: sa.Connection, key: str, window: Window, sensitivity: float | None = None
) -> tuple[float, list[BandPoint]]:
    """The sensitivity used and the band of every month of `window`."""
    k = sensitivity or rule_sensitivity(conn, key)
    first = add_months(window.start_month, -HISTORY_MONTHS)
    monthly = monthly_values(conn, [key], first, window.end_month)[key]
    return k, band_points(monthly, window.months, METRICS[key].unit, k)
