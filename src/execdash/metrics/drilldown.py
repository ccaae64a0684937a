"""KPI drill-downs: each executive KPI per period, split by customer, industry, source or product.

The series applies the KPI's own definition to every period as if it were a window, so a quarter
of revenue is summed, a quarter of backlog is its last month and a quarter of uptime is averaged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.metrics.domain import breakdown
from execdash.metrics.executive import fetch_facts, kpis_from_facts
from execdash.metrics.formulas import KPI_DEFS, KPI_KEYS, Facts
from execdash.metrics.models import (
    Breakdown,
    Kind,
    KpiDrilldown,
    Series,
    SeriesPoint,
    Timeframe,
    Unit,
)
from execdash.metrics.products import top_products
from execdash.metrics.queries import RECURRING_TYPES, whole_months
from execdash.metrics.series import divide
from execdash.metrics.windows import Window, month_end, month_key

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "revenue": ("customer", "industry", "source", "product"),
    "backlog": (),
    "uptime": (),
    "nrr": (),
    "gm": ("customer", "industry", "source"),
    "payback": (),
    "book_to_bill": ("customer", "industry", "source"),
    "coverage_months": (),
    "arr": ("customer", "industry", "source"),
    "forecast": (),
}
"""The breakdowns each KPI allows; the data have no customer or product for the others."""

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

NON_REVENUE_TYPES = ("booked",)


class DrilldownError(ValueError):
    """An unknown KPI key or a breakdown dimension the KPI does not support."""

    def __init__(self, field: str, value: str, valid: Sequence[str]) -> None:
        self.field = field
        self.value = value
        self.valid = tuple(valid)
        allowed = ", ".join(valid) if valid else "none (this KPI has no breakdown)"
        super().__init__(f"{field}={value!r} is not valid; valid values: {allowed}")


def period_windows(window: Window) -> list[Window]:
    """Each period of `window` as a window of its own months."""
    return [Window(window.range_key, "month", p.months[0], p.months[-1]) for p in window.periods]


def kpi_series(window: Window, key: str, facts: Facts) -> Series:
    """KPI `key` computed on every period of the window (pure)."""
    _, label, unit, _, formula = next(d for d in KPI_DEFS if d[0] == key)
    if key == "forecast":  # a forecast per period is the actual it tried to predict
        formula = next(d for d in KPI_DEFS if d[0] == "revenue")[4]
        label = "Recognized revenue (actuals)"
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
        total=formula(window, facts).value,
    )


def orders_by_dimension(
    conn: sa.Connection,
    dimension: str,
    start: dt.date,
    end: dt.date,
    *,
    types: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> list[tuple[str | None, float, float]]:
    """Σ amount and Σ profit of orders dated in `[start, end]` by customer, industry or source.

    Whole months are read from the month × customer × type rollup once it is ready (a few rows
    per customer and month instead of every order); other ranges from the raw orders.
    """
    c = s.customers
    column = {"customer": c.c.name, "industry": c.c.industry, "source": c.c.source}[dimension]
    r = t.rollup_orders_month_customer
    if whole_months(start, end) and rollups.is_ready(conn, rollups.by_target(r.name)):
        customer, kind, amount, profit = r.c.customer_id, r.c.type, r.c.amount, r.c.profit
        dated = [r.c.month >= month_key(start), r.c.month <= month_key(end)]
        untyped: sa.ColumnElement[bool] = kind == ""  # the rollup keeps no type as ''
    else:
        o = s.orders
        customer, kind, amount, profit = o.c.customer_id, o.c.type, o.c.amount, o.c.profit
        dated = [o.c.order_date >= start, o.c.order_date <= end]
        untyped = kind.is_(None)
    per_customer = sa.select(
        customer.label("customer_id"),
        sa.func.sum(amount).label("amount"),
        sa.func.sum(profit).label("profit"),
    ).where(*dated)
    if types is not None:
        per_customer = per_customer.where(kind.in_(list(types)))
    if exclude:
        per_customer = per_customer.where(sa.or_(untyped, kind.not_in(list(exclude))))
    # Sum per customer id first (a narrow GROUP BY), then name the few thousand groups.
    sums = per_customer.group_by(customer).subquery()
    query = (
        sa.select(column, sa.func.sum(sums.c.amount), sa.func.sum(sums.c.profit))
        .select_from(sums.outerjoin(c, c.c.id == sums.c.customer_id))
        .group_by(column)
    )
    return [(r_[0], float(r_[1] or 0), float(r_[2] or 0)) for r_ in conn.execute(query)]


def kpi_breakdown(conn: sa.Connection, window: Window, key: str, dimension: str) -> Breakdown:
    """KPI `key` split by `dimension` over the window (top 20 + 'other', shares sum to 1)."""
    valid = DIMENSIONS.get(key, ())
    if dimension not in valid:
        raise DrilldownError("by", dimension, valid)
    if dimension == "product":
        return top_products(conn, window)
    missing = "(no customer)" if dimension == "customer" else "(unknown)"
    start, end = window.start_date, window.end_date
    unit: Unit = "currency"
    if key == "arr":
        rows = orders_by_dimension(
            conn, dimension, window.end_month, month_end(window.end_month), types=RECURRING_TYPES
        )
        return breakdown(
            dimension, "ARR (12 × end-month MRR)", unit,
            [(n, 12 * a) for n, a, _ in rows], missing=missing,
        )  # fmt: skip
    if key == "book_to_bill":
        rows = orders_by_dimension(conn, dimension, start, end, types=("booked",))
        return breakdown(
            dimension, "booked order amount", unit, [(n, a) for n, a, _ in rows], missing=missing
        )
    rows = orders_by_dimension(conn, dimension, start, end, exclude=NON_REVENUE_TYPES)
    if key == "gm":
        rates = {(n or missing): divide(p, a) for n, a, p in rows}
        return breakdown(
            dimension, "gross profit", unit, [(n, p) for n, _, p in rows],
            rates=rates, missing=missing,
        )  # fmt: skip
    return breakdown(dimension, "order amount", unit, [(n, a) for n, a, _ in rows], missing=missing)


def drilldown(conn: sa.Connection, window: Window, key: str, by: str | None = None) -> KpiDrilldown:
    """KPI `key` on the window, its series at the window's granularity and an optional breakdown."""
    if key not in KPI_KEYS:
        raise DrilldownError("key", key, KPI_KEYS)
    if by is not None and by not in DIMENSIONS[key]:
        raise DrilldownError("by", by, DIMENSIONS[key])
    facts, warnings = fetch_facts(conn, window, period_windows(window))
    kpi = next(k for k in kpis_from_facts(window, facts, warnings) if k.key == key)
    return KpiDrilldown(
        key=key,
        timeframe=Timeframe.of(window),
        kpi=kpi,
        series=kpi_series(window, key, facts),
        dimensions=list(DIMENSIONS[key]),
        breakdown=kpi_breakdown(conn, window, key, by) if by is not None else None,
    )
