"""Order sums of a window of whole months by customer, industry or source, from running totals.

Each customer's sums over the window are its running totals at the window's last month minus
those at the month before (`execdash.db.cumulative`): two exact-month index reads per customer,
the same cost for a quarter as for two years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from execdash.db import cumulative, rollups
from execdash.db import schema as s

Row = tuple[str | None, float, float, int]
"""Dimension value, Σ amount, Σ profit, number of orders."""


def usable(conn: sa.Connection) -> bool:
    """True when the running totals and the rollup they are derived from are both maintained."""
    base = rollups.by_target(cumulative.BASE.name)
    return cumulative.is_ready(conn) and rollups.is_ready(conn, base)


def window_sums(
    conn: sa.Connection,
    dimension: str,
    start: dt.date,
    end: dt.date,
    *,
    types: Sequence[str] | None = None,
) -> list[Row] | None:
    """Σ amount, Σ profit and count of orders in the whole months `start…end` (only `types`, or
    all) per customer (names may repeat), industry or source; only slices with orders. None when
    the running totals cannot answer (that type set is not kept, or they are not ready)."""
    kind = cumulative.kind_of(types)
    if kind is None or not usable(conn):
        return None
    cum = cumulative.CUM
    lo, hi = cumulative.month_span(conn, cum)
    before, last = cumulative.window_month_keys(start, end)
    if lo is None or hi is None or last < lo:
        return []
    # Past the latest data month every total stays as it was in that month.
    before, last = min(before, hi), min(last, hi)
    e, p = cum.alias("e"), cum.alias("p")

    def delta(measure: str) -> sa.ColumnElement[float]:
        name = f"{kind}_{measure}"
        return e.c[name] - sa.func.coalesce(p.c[name], 0)

    c = s.customers
    column = {"customer": c.c.name, "industry": c.c.industry, "source": c.c.source}[dimension]
    # By customer: grouped by id, which the index scan yields in order (no sort), one name each.
    key = e.c.customer_id if dimension == "customer" else column
    label = sa.func.max(column) if dimension == "customer" else column
    query = (
        sa.select(
            label,
            sa.func.sum(delta("amount")),
            sa.func.sum(delta("profit")),
            sa.func.sum(delta("orders")),
        )
        .select_from(
            e.outerjoin(
                p, sa.and_(p.c.month == before, p.c.customer_id == e.c.customer_id)
            ).outerjoin(c, c.c.id == e.c.customer_id)
        )
        .where(e.c.month == last, delta("orders") > 0)
        .group_by(key)
    )
    rows = conn.execute(query).all()  # one fetchall: iterating fetches row by row
    return [(n, float(a or 0), float(pr or 0), int(k or 0)) for n, a, pr, k in rows]
