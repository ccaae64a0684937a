"""KPI breakdowns that add up to their tile: the same rows, the same months, the same formula.

Usage (also the entry point for driver analysis):

    result = kpi_breakdown(conn, window, "revenue", "industry", top=None)
    assert sum(i.value for i in result.items) == result.tile   # always, up to float noise

Revenue and book-to-bill come from `revenue_trend`, which has no customer; they are attributed
through the orders of the matching type (`recognized`, `booked`) dated in the window, and what
those orders do not account for is an explicit `unattributed` slice. Gross margin and ARR are
computed from orders, so their slices account for the whole tile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.metrics import formulas
from execdash.metrics.attribution import TOP_N, Slice, Tile, reconcile
from execdash.metrics.dimension_sums import window_sums
from execdash.metrics.formulas import Facts
from execdash.metrics.models import KpiBreakdown
from execdash.metrics.queries import (
    RECURRING_TYPES,
    by_month,
    dated_in,
    orders_by_month,
    period_column,
    use_rollup,
    whole_months,
)
from execdash.metrics.series import aggregate
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

MEASURES: dict[str, str] = {
    "revenue": "Revenue",
    "gm": "Gross profit",
    "book_to_bill": "Booked",
    "arr": "ARR",
}
"""What a slice's value is called, as the tile names it."""


class BreakdownError(ValueError):
    """A breakdown dimension the KPI does not support."""

    def __init__(self, field: str, value: str, valid: Sequence[str]) -> None:
        self.field = field
        self.value = value
        self.valid = tuple(valid)
        allowed = ", ".join(valid) if valid else "none (this KPI has no breakdown)"
        super().__init__(f"{field}={value!r} is not valid; valid values: {allowed}")


Row = tuple[str | None, float, float, int]
"""Dimension value, Σ amount, Σ profit, number of orders."""


def orders_by_dimension(
    conn: sa.Connection,
    dimension: str,
    start: dt.date,
    end: dt.date,
    *,
    types: Sequence[str] | None = None,
) -> list[Row]:
    """Σ amount, Σ profit and count of orders dated in `[start, end]` by customer, industry or
    source (optionally only orders of `types`).

    Whole months are read from the running totals per customer (two rows per customer, names
    may repeat) once they are ready, else from the month × customer × type rollup; other ranges
    from the raw orders.
    """
    if whole_months(start, end):
        found = window_sums(conn, dimension, start, end, types=types)
        if found is not None:
            return found
    c = s.customers
    column = {"customer": c.c.name, "industry": c.c.industry, "source": c.c.source}[dimension]
    r = t.rollup_orders_month_customer
    if whole_months(start, end) and rollups.is_ready(conn, rollups.by_target(r.name)):
        customer, kind, amount, profit = r.c.customer_id, r.c.type, r.c.amount, r.c.profit
        count: sa.ColumnElement[int] = sa.func.sum(r.c.orders)
        dated = [r.c.month >= month_key(start), r.c.month <= month_key(end)]
    else:
        o = s.orders
        customer, kind, amount, profit = o.c.customer_id, o.c.type, o.c.amount, o.c.profit
        count = sa.func.count()
        dated = dated_in(o.c.order_date, start, end)
    per_customer = sa.select(
        customer.label("customer_id"),
        sa.func.sum(amount).label("amount"),
        sa.func.sum(profit).label("profit"),
        count.label("orders"),
    ).where(*dated)
    if types is not None:
        per_customer = per_customer.where(kind.in_(list(types)))
    # Sum per customer id first (a narrow GROUP BY), then name the few thousand groups.
    sums = per_customer.group_by(customer).subquery()
    query = (
        sa.select(
            column,
            sa.func.sum(sums.c.amount),
            sa.func.sum(sums.c.profit),
            sa.func.sum(sums.c.orders),
        )
        .select_from(sums.outerjoin(c, c.c.id == sums.c.customer_id))
        .group_by(column)
    )
    return [
        (r_[0], float(r_[1] or 0), float(r_[2] or 0), int(r_[3] or 0)) for r_ in conn.execute(query)
    ]


def product_revenue_by_name(
    conn: sa.Connection, start: dt.date, end: dt.date
) -> list[tuple[str | None, float, int]]:
    """Σ top_products_daily.revenue dated in `[start, end]` and its row count, by product."""
    r = t.rollup_product_revenue_month
    count: sa.ColumnElement[int]
    if use_rollup(conn, r, start, end):
        name, revenue, count = r.c.name, r.c.revenue, sa.func.sum(r.c.days)
        dated = [r.c.month >= month_key(start), r.c.month <= month_key(end)]
    else:
        p = s.top_products_daily
        name, revenue, count = p.c.name, p.c.revenue, sa.func.count()
        dated = dated_in(p.c.period, start, end)
    rows = conn.execute(sa.select(name, sa.func.sum(revenue), count).where(*dated).group_by(name))
    return [(n, float(v or 0), int(k or 0)) for n, v, k in rows]


def _trend(conn: sa.Connection, window: Window, column: str) -> dict[dt.date, float]:
    rows = period_column(conn, "revenue_trend", column, window.start_month, window.end_month)
    return by_month(rows)


def tile_of(conn: sa.Connection, window: Window, key: str) -> Tile:
    """The tile a breakdown must add up to, computed by the KPI's own formula."""
    if key == "revenue":
        f = Facts(recognized=_trend(conn, window, "recognized"))
        return Tile(key, formulas.revenue(window, f).value)
    if key == "book_to_bill":
        f = Facts(
            recognized=_trend(conn, window, "recognized"), booked=_trend(conn, window, "booked")
        )
        return Tile(
            key,
            formulas.book_to_bill(window, f).value,
            aggregate("flow", f.booked, window.months),
            aggregate("flow", f.recognized, window.months),
            ratio=True,
        )
    if key == "gm":
        orders = orders_by_month(conn, window.start_date, window.end_date)
        f = Facts(
            order_amount={m: a for m, (a, _) in orders.items()},
            order_profit={m: p for m, (_, p) in orders.items()},
        )
        return Tile(
            key,
            formulas.gm(window, f).value,
            aggregate("flow", f.order_profit, window.months),
            aggregate("flow", f.order_amount, window.months),
            ratio=True,
        )
    if key == "arr":
        end = window.end_month
        recurring = orders_by_month(conn, end, month_end(end), RECURRING_TYPES)
        f = Facts(recurring_amount={m: a for m, (a, _) in recurring.items()})
        return Tile(key, formulas.arr(window, f).value)
    raise BreakdownError("key", key, [k for k, dims in DIMENSIONS.items() if dims])


def _orders(n: int) -> str:
    return f"{n:,} order" + ("" if n == 1 else "s")


def kpi_breakdown(
    conn: sa.Connection, window: Window, key: str, dimension: str, *, top: int | None = TOP_N
) -> KpiBreakdown:
    """KPI `key` on `window` split by `dimension`, adding up to the tile (top `top` + 'other';
    `top=None` keeps every slice)."""
    valid = DIMENSIONS.get(key, ())
    if dimension not in valid:
        raise BreakdownError("by", dimension, valid)
    tile = tile_of(conn, window, key)
    missing = "(no customer)" if dimension == "customer" else "(unknown)"
    start, end = window.start_date, window.end_date

    def done(slices: list[Slice], over: str, rows: int) -> KpiBreakdown:
        return reconcile(
            tile, slices, dimension=dimension, measure=MEASURES[key], unit="currency",
            over=over, rows=rows, top=top, missing=missing,
        )  # fmt: skip

    if dimension == "product":
        products = product_revenue_by_name(conn, start, end)
        n = sum(k for _, _, k in products)
        return done(
            [Slice(name, v) for name, v, _ in products],
            f"daily product revenue (top_products_daily), {n:,} product-days",
            n,
        )
    if key == "arr":
        month = window.end_month
        rows = orders_by_dimension(conn, dimension, month, month_end(month), types=RECURRING_TYPES)
        n = sum(r[3] for r in rows)
        return done(
            [Slice(name, 12 * a) for name, a, _, _ in rows],
            f"12 × subscription and recurring orders in {window.end_month:%b %Y}, {_orders(n)}",
            n,
        )
    if key == "gm":
        rows = orders_by_dimension(conn, dimension, start, end)
        n = sum(r[3] for r in rows)
        return done([Slice(name, p, a) for name, a, p, _ in rows], f"all orders, {_orders(n)}", n)
    recognized = orders_by_dimension(conn, dimension, start, end, types=("recognized",))
    n = sum(r[3] for r in recognized)
    if key == "revenue":
        slices = [Slice(name, a) for name, a, _, _ in recognized]
        return done(slices, f"recognized orders, {_orders(n)}", n)
    booked = orders_by_dimension(conn, dimension, start, end, types=("booked",))
    n += sum(r[3] for r in booked)
    slices = [Slice(name, a, 0.0) for name, a, _, _ in booked]
    slices += [Slice(name, 0.0, a) for name, a, _, _ in recognized]
    return done(slices, f"booked and recognized orders, {_orders(n)}", n)
