"""Each customer's first month of recurring revenue, derived from the MRR rollup.

New MRR (metrics.md: recurring revenue from customers whose first subscription/recurring order
falls in the window) needs every customer's first such month. Computing it per request means a
GROUP BY over the whole MRR rollup; this small table keeps it, one row per customer, and follows
the MRR rollup on every refresh: a full recompute after a rebuild or a date-range refresh (a
deleted first order moves a customer's cohort), a `min` merge after rows were only appended.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def earliest(groups: Iterable[tuple[str, int]]) -> dict[int, str]:
    """The earliest month per customer among `(month, customer_id)` pairs (pure)."""
    out: dict[int, str] = {}
    for month, customer in groups:
        if customer != NO_CUSTOMER and (customer not in out or month < out[customer]):
            out[customer] = month
    return out


def merge_appended(conn: sa.Connection, groups: Iterable[tuple[str, int]]) -> int:
    """Fold appended MRR groups `(month, customer_id)` in: a first month can only move earlier."""
    firsts = earliest(groups)
    if not firsts:
        return 0
    ids = list(firsts)
    known: dict[int, str] = {}
    for lo in range(0, len(ids), 5_000):  # bounded IN lists, for both backends
        chunk = ids[lo : lo + 5_000]
        rows = conn.execute(
            sa.select(FIRST.c.customer_id, FIRST.c.month).where(FIRST.c.customer_id.in_(chunk))
        )
        known.update({int(c): str(m) for c, m in rows})
    new = [{"customer_id": c, "month": m} for c, m in firsts.items() if c not in known]
    earlier = [{"c": c, "m": m} for c, m in firsts.items() if c in known and m < known[c]]
    if new:
        conn.execute(FIRST.insert(), new)
    if earlier:
        conn.execute(
            FIRST.update()
            .where(FIRST.c.customer_id == sa.bindparam("c"))
            .values(month=sa.bindparam("m")),
            earlier,
        )
    return len(new) + len(earlier)


def snapshot(conn: sa.Connection) -> list[tuple[int, str]]:
    """The stored first months, by customer: what tests compare with `recompute`."""
    rows = conn.execute(sa.select(FIRST.c.customer_id, FIRST.c.month).order_by(FIRST.c.customer_id))
    return [(int(c), str(m)) for c, m in rows]


def recompute(conn: sa.Connection) -> list[tuple[int, str]]:
    """What the table would hold if rebuilt now from the MRR rollup, without writing."""
    sub = _firsts().subquery()
    rows = conn.execute(sa.select(sub).order_by(sub.c.customer_id))
    return [(int(c), str(m)) for c, m in rows]
