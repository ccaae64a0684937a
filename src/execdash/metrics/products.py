"""Products overview: top products by Σ top_products_daily.revenue over the window, with shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db import tables as t
from execdash.metrics.domain import breakdown, tile
from execdash.metrics.models import Breakdown, ProductsOverview, Timeframe
from execdash.metrics.queries import by_month, dated_in, month_of, use_rollup
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window, month_key

ROLLUP = t.rollup_product_revenue_month


def product_revenue_by_month(
    conn: sa.Connection, start: dt.date, end: dt.date
) -> dict[dt.date, float]:
    """Σ top_products_daily.revenue dated in `[start, end]`, by month."""
    r = ROLLUP
    month: sa.ColumnElement[Any]
    if use_rollup(conn, r, start, end):
        month, revenue, dated = r.c.month, r.c.revenue, _months(start, end)
    else:
        p = s.top_products_daily
        month, revenue = month_of(p.c.period), p.c.revenue
        dated = dated_in(p.c.period, start, end)
    query = sa.select(month, sa.func.sum(revenue)).where(*dated).group_by(month)
    return by_month([(str(k), float(v or 0)) for k, v in conn.execute(query)])


def top_products(conn: sa.Connection, window: Window, top: int = 20) -> Breakdown:
    """Products by Σ revenue over the window, largest first, the rest as 'other'."""
    start, end = window.start_date, window.end_date
    r = ROLLUP
    if use_rollup(conn, r, start, end):
        name, revenue, dated = r.c.name, r.c.revenue, _months(start, end)
    else:
        p = s.top_products_daily
        name, revenue = p.c.name, p.c.revenue
        dated = dated_in(p.c.period, start, end)
    rows = conn.execute(sa.select(name, sa.func.sum(revenue)).where(*dated).group_by(name))
    return breakdown(
        "product", "revenue", "currency", [(r[0], float(r[1] or 0)) for r in rows], top=top
    )


def _months(start: dt.date, end: dt.date) -> list[sa.ColumnElement[bool]]:
    return [ROLLUP.c.month >= month_key(start), ROLLUP.c.month <= month_key(end)]


def overview(conn: sa.Connection, window: Window) -> ProductsOverview:
    """Product revenue tile and series plus the top products for `window`."""
    monthly = product_revenue_by_month(conn, window.previous().start_date, window.end_date)
    return ProductsOverview(
        domain="products",
        timeframe=Timeframe.of(window),
        kpis=[
            tile(
                window,
                "product_revenue",
                "Product revenue",
                "currency",
                monthly,
                "Σ top_products_daily.revenue dated in the window",
            ),
        ],
        series=[build_series(window, "product_revenue", "Product revenue", "currency", monthly)],
        warnings=[],
        top_products=top_products(conn, window),
    )
