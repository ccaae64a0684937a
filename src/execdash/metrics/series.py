"""Aggregation kinds (flow / stock / rate) declared once per series, and the roll-ups they drive.

Every quarter and every window value is computed here from monthly values, so a series can never
be summed where it should be averaged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from execdash.metrics.models import Coverage, Kind, Series, SeriesPoint, Unit
from execdash.metrics.windows import Window, days_in_month, month_key

Monthly = Mapping[dt.date, float]
"""Monthly values keyed by the first day of the month; a month without data is absent."""

SERIES_KINDS: dict[str, Kind] = {
    # flows: summed over months
    "recognized": "flow",
    "booked": "flow",
    "revenue": "flow",
    "product_revenue": "flow",
    "expenses": "flow",
    "leads": "flow",
    "mql": "flow",
    "sql": "flow",
    "won": "flow",
    "new_customers": "flow",
    "page_visits": "flow",
    "feedback_count": "flow",
    # stocks: the last month of the period inside the window
    "backlog": "stock",
    "active_devices": "stock",
    "mrr": "stock",
    "arr": "stock",
    "nrr": "stock",
    "coverage_months": "stock",
    # rates: mean weighted by days in month
    "uptime": "rate",
    "doa": "rate",
    "defect": "rate",
    "warranty": "rate",
    "win_rate": "rate",
    "gross_churn": "rate",
    "expansion": "rate",
    "cogs_variance": "rate",
    "lead_time": "rate",
    "inventory_turns": "rate",
    "utilization": "rate",
    "consumption": "rate",
    "mtbf": "rate",
    "mttr": "rate",
    "service_cost": "rate",
    "sales_cycle": "rate",
    "csat": "rate",
}


def kind_of(key: str) -> Kind:
    """The declared aggregation kind of series `key` (KeyError for an undeclared series)."""
    return SERIES_KINDS[key]


def flow(values: Sequence[tuple[dt.date, float]]) -> float | None:
    """Sum of the months' values; None when no month has data."""
    return sum(v for _, v in values) if values else None


def stock(monthly: Monthly, months: Sequence[dt.date]) -> float | None:
    """The value of the period's last month (`months[-1]`); None when that month has no data."""
    return monthly.get(months[-1]) if months else None


def stock_at_or_before(monthly: Monthly, months: Sequence[dt.date]) -> float | None:
    """The value of the latest month at or before the period's last month (NRR's rule)."""
    if not months:
        return None
    held = [m for m in monthly if m <= months[-1]]
    return monthly[max(held)] if held else None


CARRIED_STOCKS = frozenset({"nrr"})
"""Stocks whose value is the latest row at or before the period end (a trailing ratio)."""


def rate(values: Sequence[tuple[dt.date, float]]) -> float | None:
    """Mean weighted by days in month (Feb 2024 weighs 29); None when no month has data."""
    if not values:
        return None
    days = sum(days_in_month(m) for m, _ in values)
    return sum(v * days_in_month(m) for m, v in values) / days


def aggregate(
    kind: Kind, monthly: Monthly, months: Sequence[dt.date], *, carry: bool = False
) -> float | None:
    """Aggregate `monthly` over `months` by `kind` (ratio series must use `ratio_series`); a
    stock is its last month's value, or with `carry` the latest value at or before it."""
    if kind == "stock":
        return stock_at_or_before(monthly, months) if carry else stock(monthly, months)
    values = [(m, monthly[m]) for m in months if m in monthly]
    if kind == "flow":
        return flow(values)
    if kind == "rate":
        return rate(values)
    raise ValueError(f"kind {kind!r} cannot be aggregated from one monthly series")


def divide(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def coverage_of(window: Window, held: Collection[dt.date]) -> Coverage:
    """How many months of the window and of the previous window are in `held`."""
    prev = window.previous()
    current = sum(1 for m in window.months if m in held)
    previous = sum(1 for m in prev.months if m in held)
    return Coverage(
        months=window.length,
        current=current,
        previous=previous,
        complete=current == window.length,
        previous_complete=previous == prev.length,
        previous_start_month=month_key(prev.start_month),
        previous_end_month=month_key(prev.end_month),
        compare=window.comparison,
    )


def build_series(
    window: Window,
    key: str,
    label: str,
    unit: Unit,
    monthly: Monthly,
    kind: Kind | None = None,
) -> Series:
    """The series `key` at the window's granularity, rolled up by its declared kind."""
    kind = kind or kind_of(key)
    carry = key in CARRIED_STOCKS
    points = [
        SeriesPoint(
            period=p.key,
            value=aggregate(kind, monthly, p.months, carry=carry),
            partial=p.partial,
            months=p.months_held,
        )
        for p in window.periods
    ]
    return Series(
        key=key,
        label=label,
        unit=unit,
        kind=kind,
        points=points,
        total=aggregate(kind, monthly, window.months, carry=carry),
        coverage=coverage_of(window, monthly),
    )


def ratio_series(
    window: Window,
    key: str,
    label: str,
    numerator: Monthly,
    denominator: Monthly,
    unit: Unit = "ratio",
) -> Series:
    """A quotient of two flows per period (e.g. a conversion rate): Σ numerator / Σ denominator."""
    points = [
        SeriesPoint(
            period=p.key,
            value=divide(
                aggregate("flow", numerator, p.months), aggregate("flow", denominator, p.months)
            ),
            partial=p.partial,
            months=p.months_held,
        )
        for p in window.periods
    ]
    total = divide(
        aggregate("flow", numerator, window.months), aggregate("flow", denominator, window.months)
    )
    both = {m for m in numerator if m in denominator}
    return Series(
        key=key,
        label=label,
        unit=unit,
        kind="ratio",
        points=points,
        total=total,
        coverage=coverage_of(window, both),
    )
