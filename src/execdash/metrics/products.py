"""Products overview: top products by Σ top_products_daily.revenue over the window, with shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db import tables as t
from execdash.memo import kept
from execdash.metrics.domain import breakdown, tile
from execdash.metrics.models import Breakdown, ProductsOverview, Timeframe
from execdash.metrics.queries import by_month, month_of, span_params, spanned, use_rollup
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window

ROLLUP = t.rollup_product_revenue_month


def product_revenue_by_month(
    conn: sa.Connection, start: dt.date, end: dt.date
) -> dict[dt.date, float]:
    """Σ top_products_daily.revenue dated in `[start, end]`, by month."""
    query = _query(use_rollup(conn, ROLLUP, start, end), "month")
    rows = conn.execute(query, span_params(start, end))
    return by_month([(str(k), float(v or 0)) for k, v in rows])


def top_products(conn: sa.Connection, window: Window, top: int = 20) -> Breakdown:
    """Products by Σ revenue over the window, largest first, the rest as 'other'."""
    start, end = window.start_date, window.end_date
    query = _query(use_rollup(conn, ROLLUP, start, end), "name")
    rows = conn.execute(query, span_params(start, end))
    return breakdown(
        "product", "revenue", "currency", [(r[0], float(r[1] or 0)) for r in rows], top=top
    )


def _make_query(rollup: bool, by: str) -> sa.Select[Any, float]:
    """Σ product revenue in the bound span by month or by product name, from the monthly
    rollup or the daily rows; built once (building costs more than SQLite's run)."""
    p = s.top_products_daily
    key: sa.ColumnElement[Any]
    if rollup:
        key = ROLLUP.c.month if by == "month" else ROLLUP.c.name
        revenue, dated = ROLLUP.c.revenue, spanned(ROLLUP.c.month, months=True)
    else:
        key = month_of(p.c.period) if by == "month" else p.c.name
        revenue, dated = p.c.revenue, spanned(p.c.period, months=False)
    return sa.select(key, sa.func.sum(revenue)).where(*dated).group_by(key)


_query = kept(4)(_make_query)
"""`_make_query`, built once per shape (`execdash.memo`)."""


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
