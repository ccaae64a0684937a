"""KPI drill-downs: each executive KPI per period, split by customer, industry, source or product.

The series applies the KPI's own definition to every period as if it were a window, so a quarter
of revenue is summed, a quarter of backlog is its last month and a quarter of uptime is averaged.
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from execdash.metrics.breakdowns import DIMENSIONS, BreakdownError, kpi_breakdown
from execdash.metrics.executive import coverage, fetch_facts, kpi_from_facts
from execdash.metrics.formulas import KPI_DEFS, KPI_KEYS, Facts
from execdash.metrics.models import Kind, KpiDrilldown, Series, SeriesPoint, Timeframe
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window

SERIES_KIND: dict[str, Kind] = {
    "revenue": "flow",
    "backlog": "stock",
    "uptime": "rate",
    "nrr": "stock",
    "gm": "ratio",
    "payback": "ratio",
    "book_to_bill": "ratio",
    "coverage_months": "stock",
    "arr": "stock",
    "forecast": "flow",
}
"""How each KPI's per-period value is formed (its definition applied to the period)."""

DRAWN_COMPARISONS = frozenset({"last_year"})
"""Comparisons whose window is drawn beside the series (the previous period is already on the
chart of a longer window; a plan is drawn as the plan line)."""

DrilldownError = BreakdownError
"""An unknown KPI key or a breakdown dimension the KPI does not support."""


def period_windows(window: Window) -> list[Window]:
    """Each period of `window` as a window of its own months."""
    return [
        replace(window, granularity="month", start_month=p.months[0], end_month=p.months[-1])
        for p in window.periods
    ]


def kpi_series(window: Window, key: str, facts: Facts) -> Series:
    """KPI `key` computed on every period of the window (pure)."""
    _, label, unit, _, formula = next(d for d in KPI_DEFS if d[0] == key)
    if key == "forecast":  # a forecast per period is the actual it tried to predict
        formula = next(d for d in KPI_DEFS if d[0] == "revenue")[4]
        label = "Recognized revenue (actuals)"
    whole = formula(window, facts)
    points = [
        SeriesPoint(
            period=p.key,
            value=formula(sub, facts).value,
            partial=p.partial,
            months=p.months_held,
        )
        for p, sub in zip(window.periods, period_windows(window), strict=True)
    ]
    return Series(
        key=key,
        label=label,
        unit=unit,
        kind=SERIES_KIND[key],
        points=points,
        total=whole.value,
        coverage=coverage(window, whole, formula(window.previous(), facts)),
    )


def drilldown(conn: sa.Connection, window: Window, key: str, by: str | None = None) -> KpiDrilldown:
    """KPI `key` on the window, its series at the window's granularity and an optional breakdown."""
    if key not in KPI_KEYS:
        raise DrilldownError("key", key, KPI_KEYS)
    if by is not None and by not in DIMENSIONS[key]:
        raise DrilldownError("by", by, DIMENSIONS[key])
    earlier = window.previous() if window.comparison in DRAWN_COMPARISONS else None
    subs = period_windows(window) + (period_windows(earlier) if earlier is not None else [])
    facts, warnings = fetch_facts(conn, window, subs, key=key)
    kpi = kpi_from_facts(window, facts, key, warnings)
    drawn = None
    if earlier is not None:
        drawn = kpi_series(earlier, key, facts).model_copy(update={"coverage": None})
    return KpiDrilldown(
        key=key,
        timeframe=Timeframe.of(window),
        kpi=kpi,
        series=kpi_series(window, key, facts),
        dimensions=list(DIMENSIONS[key]),
        breakdown=None if by is None else kpi_breakdown(conn, window, key, by, facts=facts),
        actuals=monthly_actuals(window, facts) if key == "forecast" else None,
        comparison_series=drawn,
    )


def monthly_actuals(window: Window, facts: Facts) -> Series:
    """Recognized revenue per month of the window: the history the forecast continues."""
    monthly = replace(window, granularity="month")  # same months, settings and comparison
    return build_series(monthly, "recognized", "Recognized revenue", "currency", facts.recognized)
