"""Each customer's first month of recurring revenue, derived from the MRR rollup.

New MRR (metrics.md: recurring revenue from customers whose first subscription/recurring order
falls in the window) needs every customer's first such month. Computing it per request means a
GROUP BY over the whole MRR rollup; this small table keeps it, one row per customer, and follows
the MRR rollup: it is recomputed from it (one row per customer and month, far fewer than the
orders) whenever the MRR rollup changes, since a deleted first order moves a cohort later.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import tables as t

FIRST = t.rollup_recurring_first_month
MRR = t.rollup_mrr_month_customer
NO_CUSTOMER = 0


def _firsts() -> sa.Select[tuple[int, str]]:
    return (
        sa.select(MRR.c.customer_id, sa.func.min(MRR.c.month))
        .where(MRR.c.customer_id != NO_CUSTOMER)
        .group_by(MRR.c.customer_id)
    )


def rebuild(conn: sa.Connection) -> int:
    """Recompute every customer's first recurring month from the MRR rollup; return the rows."""
    conn.execute(FIRST.delete())
    conn.execute(FIRST.insert().from_select(["customer_id", "month"], _firsts()))
    return int(conn.execute(sa.select(sa.func.count()).select_from(FIRST)).scalar_one())


def snapshot(conn: sa.Connection) -> list[tuple[int, str]]:
    """The stored first months, by customer: what tests compare with `recompute`."""
    rows = conn.execute(sa.select(FIRST.c.customer_id, FIRST.c.month).order_by(FIRST.c.customer_id))
    return [(int(c), str(m)) for c, m in rows]


def recompute(conn: sa.Connection) -> list[tuple[int, str]]:
    """What the table would hold if rebuilt now from the MRR rollup, without writing."""
    sub = _firsts().subquery()
    rows = conn.execute(sa.select(sub).order_by(sub.c.customer_id))
    return [(int(c), str(m)) for c, m in rows]
