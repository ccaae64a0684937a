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
from execdash.db.label_totals import MISSING
from execdash.memo import kept
from execdash.metrics import formulas
from execdash.metrics.attribution import TOP_N, Ranked, Tile, settle
from execdash.metrics.dimension_sums import (
    Bound,
    Measure,
    Part,
    Read,
    Slices,
    dimension_column,
    id_slices,
    label_slices,
    no_denominator,
    window_slices,
)
from execdash.metrics.formulas import Facts
from execdash.metrics.models import KpiBreakdown
from execdash.metrics.queries import (
    RECURRING_TYPES,
    by_month,
    dated_in,
    orders_by_month,
    period_column,
    span_params,
    spanned,
    use_rollup,
    whole_months,
)
from execdash.metrics.ranking import rank_ids, rank_in_sql
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


def order_slices(
    conn: sa.Connection, dimension: str, start: dt.date, end: dt.date, measure: Measure
) -> Read:
    """One row per customer with orders of the measure's types dated in `[start, end]`: its
    customer, industry or source and the `dimension_sums.LABELS` sums (names may repeat).

    Whole months are read from the running totals per customer (two rows per customer) once
    they are ready, else from the month × customer × type rollup; other ranges from the raw
    orders.
    """
    if whole_months(start, end):
        found = window_slices(conn, dimension, start, end, measure)
        if found is not None:
            return found
    r = t.rollup_orders_month_customer
    columns: dict[str, sa.ColumnElement[float]]
    if whole_months(start, end) and rollups.is_ready(conn, rollups.by_target(r.name)):
        customer, kind = r.c.customer_id, r.c.type
        columns = {"amount": r.c.amount, "profit": r.c.profit}
        count: sa.ColumnElement[int] = sa.func.sum(r.c.orders)
        dated = [r.c.month >= month_key(start), r.c.month <= month_key(end)]
    else:
        o = s.orders
        customer, kind = o.c.customer_id, o.c.type
        columns = {"amount": o.c.amount, "profit": o.c.profit}
        count = sa.func.count()
        dated = dated_in(o.c.order_date, start, end)

    def total(part: Part) -> sa.ColumnElement[float]:
        value = columns[part.measure]
        if part.types is not None:
            value = sa.case((kind.in_(list(part.types)), value), else_=0)
        return sa.func.sum(value)

    value = total(measure.value)
    if measure.scale != 1:
        value = value * measure.scale
    den = no_denominator() if measure.denominator is None else total(measure.denominator)
    per_customer = sa.select(
        customer.label("customer_id"),
        value.label("value"),
        den.label("den"),
        count.label("orders"),
    ).where(*dated)
    if measure.counted is not None:
        per_customer = per_customer.where(kind.in_(list(measure.counted)))
    # Sum per customer id first (a narrow GROUP BY), then name the few thousand groups.
    sums = per_customer.group_by(customer).subquery()
    c = s.customers
    return sa.select(
        dimension_column(dimension).label("label"), sums.c.value, sums.c.den, sums.c.orders
    ).select_from(sums.outerjoin(c, c.c.id == sums.c.customer_id))


def product_slices(conn: sa.Connection, start: dt.date, end: dt.date) -> Bound:
    """Σ top_products_daily.revenue dated in `[start, end]` by product, with its row count as
    the `dimension_sums.LABELS` columns (the count in `orders`)."""
    rollup = use_rollup(conn, t.rollup_product_revenue_month, start, end)
    return Bound(_product_query(rollup), span_params(start, end))


def _make_product_query(rollup: bool) -> Slices:
    """The select of `product_slices` from the monthly rollup or the daily rows, built once."""
    r, p = t.rollup_product_revenue_month, s.top_products_daily
    count: sa.ColumnElement[int]
    if rollup:
        name, revenue, count = r.c.name, r.c.revenue, sa.func.sum(r.c.days)
        dated = spanned(r.c.month, months=True)
    else:
        name, revenue, count = p.c.name, p.c.revenue, sa.func.count()
        dated = spanned(p.c.period, months=False)
    return (
        sa.select(
            name.label("label"),
            sa.func.sum(revenue).label("value"),
            no_denominator().label("den"),
            count.label("orders"),
        )
        .where(*dated)
        .group_by(name)
    )


_product_query = kept(2)(_make_product_query)
"""`_make_product_query`, built once per shape (`execdash.memo`)."""


def _trend(conn: sa.Connection, window: Window, column: str) -> dict[dt.date, float]:
    rows = period_column(conn, "revenue_trend", column, window.start_month, window.end_month)
    return by_month(rows)


def tile_of(conn: sa.Connection, window: Window, key: str) -> Tile:
    """The tile a breakdown must add up to, computed by the KPI's own formula."""
    return tile_from(window, key, _tile_facts(conn, window, key))


def _tile_facts(conn: sa.Connection, window: Window, key: str) -> Facts:
    """Only the monthly facts KPI `key`'s tile reads, over the window's months."""
    if key == "revenue":
        return Facts(recognized=_trend(conn, window, "recognized"))
    if key == "book_to_bill":
        return Facts(
            recognized=_trend(conn, window, "recognized"), booked=_trend(conn, window, "booked")
        )
    if key == "gm":
        orders = orders_by_month(conn, window.start_date, window.end_date)
        return Facts(
            order_amount={m: a for m, (a, _) in orders.items()},
            order_profit={m: p for m, (_, p) in orders.items()},
        )
    if key == "arr":
        end = window.end_month
        recurring = orders_by_month(conn, end, month_end(end), RECURRING_TYPES)
        return Facts(recurring_amount={m: a for m, (a, _) in recurring.items()})
    return Facts()  # no breakdown: `tile_from` refuses the key


def tile_from(window: Window, key: str, f: Facts) -> Tile:
    """The tile of KPI `key` on `window` from monthly facts holding its months (pure), so a
    drill-down that already read them for its KPI does not read them again."""
    if key == "revenue":
        return Tile(key, formulas.revenue(window, f).value)
    if key == "book_to_bill":
        return Tile(
            key,
            formulas.book_to_bill(window, f).value,
            aggregate("flow", f.booked, window.months),
            aggregate("flow", f.recognized, window.months),
            ratio=True,
        )
    if key == "gm":
        return Tile(
            key,
            formulas.gm(window, f).value,
            aggregate("flow", f.order_profit, window.months),
            aggregate("flow", f.order_amount, window.months),
            ratio=True,
        )
    if key == "arr":
        return Tile(key, formulas.arr(window, f).value)
    raise BreakdownError("key", key, [k for k, dims in DIMENSIONS.items() if dims])


def _orders(n: int) -> str:
    return f"{n:,} order" + ("" if n == 1 else "s")


MEASURE_OF: dict[str, Measure] = {
    "revenue": Measure(Part(("recognized",))),
    "gm": Measure(Part(None, "profit"), Part(None, "amount")),
    "book_to_bill": Measure(Part(("booked",)), Part(("recognized",))),
    "arr": Measure(Part(RECURRING_TYPES), scale=12.0),
}
"""What each KPI's slices add up: revenue from recognized orders, gross profit over amount,
booked over recognized, 12 × the recurring orders of the window's last month."""

OVER: dict[str, str] = {
    "revenue": "recognized orders",
    "gm": "all orders",
    "book_to_bill": "booked and recognized orders",
}


def _ranked(
    conn: sa.Connection, dimension: str, start: dt.date, end: dt.date, key: str, top: int | None
) -> tuple[Ranked, int]:
    """The slices of KPI `key` by `dimension` over `[start, end]`, merged by name and ranked, read
    the cheapest way the data allow: per industry or source from their own running totals, per
    customer id when no two customers share a name, else per customer merged by name."""
    missing = MISSING.get(dimension, "(unknown)")
    if dimension == "product":
        return rank_in_sql(conn, product_slices(conn, start, end), top=top, missing=missing)
    measure = MEASURE_OF[key]
    if whole_months(start, end):
        labelled = label_slices(conn, dimension, start, end, measure)
        if labelled is not None:
            return rank_in_sql(conn, labelled, top=top, missing=missing, merged=True)
        by_id = id_slices(conn, start, end, measure) if dimension == "customer" else None
        if by_id is not None and top is not None:
            found = rank_ids(conn, by_id, top=top, names=s.customers, missing=missing)
            if found is not None:
                return found
    rows = order_slices(conn, dimension, start, end, measure)
    return rank_in_sql(conn, rows, top=top, missing=missing)


def kpi_breakdown(
    conn: sa.Connection,
    window: Window,
    key: str,
    dimension: str,
    *,
    top: int | None = TOP_N,
    facts: Facts | None = None,
) -> KpiBreakdown:
    """KPI `key` on `window` split by `dimension`, adding up to the tile (top `top` + 'other';
    `top=None` keeps every slice); the slices are merged, ranked and capped in SQL. `facts`, when
    the caller already read its KPI's (`executive.fetch_facts`), give the tile without a read."""
    valid = DIMENSIONS.get(key, ())
    if dimension not in valid:
        raise BreakdownError("by", dimension, valid)
    tile = tile_of(conn, window, key) if facts is None else tile_from(window, key, facts)
    ranked, n = _ranked(conn, dimension, *kpi_span(key, dimension, window), key, top)
    return settle(
        tile, ranked, dimension=dimension, measure=MEASURES[key], unit="currency",
        over=over_text(key, dimension, window, n), rows=n,
    )  # fmt: skip


def kpi_span(key: str, dimension: str, window: Window) -> tuple[dt.date, dt.date]:
    """The days whose orders make KPI `key`'s slices by `dimension` on `window` (ARR: the end
    month's recurring orders)."""
    if key == "arr" and dimension != "product":
        return window.end_month, month_end(window.end_month)
    return window.start_date, window.end_date


def over_text(key: str, dimension: str, window: Window, n: int) -> str:
    """What a breakdown's slices are summed over, in words, with their `n` rows."""
    if dimension == "product":
        return f"daily product revenue, {n:,} product-days"
    if key == "arr":
        return f"12 × subscription and recurring orders in {window.end_month:%b %Y}, {_orders(n)}"
    return f"{OVER[key]}, {_orders(n)}"
