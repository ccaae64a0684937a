"""Products overview: top products by Σ top_products_daily.revenue over the window, with shares."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.metrics.domain import breakdown, tile
from execdash.metrics.models import Breakdown, ProductsOverview, Timeframe
from execdash.metrics.queries import by_month, month_of
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window


def product_revenue_by_month(
    conn: sa.Connection, start: dt.date, end: dt.date
) -> dict[dt.date, float]:
    """Σ top_products_daily.revenue dated in `[start, end]`, by month."""
    t = s.top_products_daily
    month = month_of(t.c.period)
    query = (
        sa.select(month, sa.func.sum(t.c.revenue))
        .where(t.c.period >= start, t.c.period <= end)
        .group_by(month)
    )
    return by_month([(str(k), float(v or 0)) for k, v in conn.execute(query)])


def top_products(conn: sa.Connection, window: Window, top: int = 20) -> Breakdown:
    """Products by Σ revenue over the window, largest first, the rest as 'other'."""
    t = s.top_products_daily
    rows = conn.execute(
        sa.select(t.c.name, sa.func.sum(t.c.revenue))
        .where(t.c.period >= window.start_date, t.c.period <= window.end_date)
        .group_by(t.c.name)
    )
    return breakdown(
        "product", "revenue", "currency", [(r[0], float(r[1] or 0)) for r in rows], top=top
    )


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
