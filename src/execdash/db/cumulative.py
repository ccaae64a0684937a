"""Running totals of orders per customer and month, derived from the month × customer rollup.

A breakdown by customer, industry or source over any window of whole months is the difference
of two rows per customer: the totals at the window's last month minus those at the month
before it. That reads two index ranges of one row per customer, however long the window,
where the month × customer × type rollup needs every month of the window sorted by customer.

Rows exist for every customer from the month of its first order to the latest month with any
order (customers with no order yet have none), so both reads are exact-month lookups. A change
in month `m` changes the totals of `m` and every later month: `refresh_from` recomputes those
(for appends in the latest months, two months × customers), `rebuild` everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from execdash.db import meta_keys, read_once
from execdash.db import tables as t

CUM = t.orders_cumulative
BASE = t.rollup_orders_month_customer
CLASSES = t.CUMULATIVE_CLASSES
MEASURES = t.CUMULATIVE_MEASURES
VALUES = [f"{kind}_{measure}" for kind in CLASSES for measure in MEASURES]
READY_KEY = f"rollup_ready:{CUM.name}"
CHUNK = 240
"""Months written per statement (a SQLite compound SELECT allows 500 terms)."""


def next_month(key: str) -> str:
    """The `YYYY-MM` key after `key`."""
    year, month = int(key[:4]), int(key[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def previous_month(key: str) -> str:
    """The `YYYY-MM` key before `key`."""
    year, month = int(key[:4]), int(key[5:7])
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def month_keys(first: str, last: str) -> list[str]:
    """Every `YYYY-MM` key from `first` to `last`, both included."""
    keys: list[str] = []
    key = first
    while key <= last:
        keys.append(key)
        key = next_month(key)
    return keys


def kind_of(types: Sequence[str] | None) -> str | None:
    """The kept type set equal to `types` (None = every type), or None if it is not kept."""
    wanted = None if types is None else frozenset(types)
    for kind, kept in CLASSES.items():
        if (kept is None and wanted is None) or (
            kept is not None and wanted is not None and frozenset(kept) == wanted
        ):
            return kind
    return None


def _monthly(first: str, last: str) -> sa.Subquery:
    """Per month and customer in `first…last`: each type set's sums from the base rollup."""
    columns: list[sa.ColumnElement[object]] = [BASE.c.month, BASE.c.customer_id]
    for kind, types in CLASSES.items():
        for measure in MEASURES:
            value: sa.ColumnElement[object] = BASE.c[measure]
            if types is not None:
                value = sa.case((BASE.c.type.in_(types), value), else_=0)
            columns.append(sa.func.sum(value).label(f"{kind}_{measure}"))
    return (
        sa.select(*columns)
        .where(BASE.c.month >= first, BASE.c.month <= last)
        .group_by(BASE.c.month, BASE.c.customer_id)
        .subquery("b")
    )


def _write_months(conn: sa.Connection, months: list[str]) -> None:
    """Insert the rows of `months` (consecutive, none stored yet), continuing the month before."""
    before = previous_month(months[0])
    grid = sa.union_all(*(sa.select(sa.literal(m, sa.Text).label("month")) for m in months))
    m = grid.subquery("m")
    seen = sa.union(
        sa.select(CUM.c.customer_id).where(CUM.c.month == before),
        sa.select(BASE.c.customer_id).where(BASE.c.month >= months[0], BASE.c.month <= months[-1]),
    ).subquery("c")
    b = _monthly(months[0], months[-1])
    p = CUM.alias("p")
    running = [
        (
            sa.func.coalesce(p.c[v], 0)
            + sa.func.sum(sa.func.coalesce(b.c[v], 0)).over(
                partition_by=seen.c.customer_id, order_by=m.c.month
            )
        ).label(v)
        for v in VALUES
    ]
    rows = (
        sa.select(m.c.month, seen.c.customer_id, *running)
        .select_from(
            m.join(seen, sa.true())
            .outerjoin(b, sa.and_(b.c.month == m.c.month, b.c.customer_id == seen.c.customer_id))
            .outerjoin(p, sa.and_(p.c.month == before, p.c.customer_id == seen.c.customer_id))
        )
        .subquery("r")
    )
    # A customer whose orders were all deleted keeps no rows (counts are never negative).
    kept = sa.select(rows).where(rows.c.all_orders > 0)
    conn.execute(CUM.insert().from_select(["month", "customer_id", *VALUES], kept))


def month_span(conn: sa.Connection, table: sa.Table) -> tuple[str | None, str | None]:
    """First and last `month` of `table`: two statements, since SQLite reads only one end of the
    index for a lone min() or max() but scans the whole table for both together."""

    def read() -> tuple[str | None, str | None]:
        lo = conn.execute(sa.select(sa.func.min(table.c.month))).scalar()
        hi = conn.execute(sa.select(sa.func.max(table.c.month))).scalar()
        return (None, None) if lo is None or hi is None else (str(lo), str(hi))

    return read_once.once(conn, ("span", table.name), read)


def refresh_from(conn: sa.Connection, since: str) -> int:
    """Recompute the totals of month `since` (`YYYY-MM`) and every later month; return the rows
    written. Call it after the base rollup changed in `since` or later."""
    lo, hi = month_span(conn, BASE)
    stored = conn.execute(sa.select(sa.func.max(CUM.c.month))).scalar()
    if stored is not None:  # months between the stored ones and `since` get their rows too
        since = min(since, next_month(str(stored)))
    conn.execute(CUM.delete().where(CUM.c.month >= since))
    if hi is None:
        conn.execute(CUM.delete())
        return 0
    # The latest months' orders gone: the months kept after the new latest one go too.
    conn.execute(CUM.delete().where(CUM.c.month > hi))
    months = month_keys(max(since, str(lo)), str(hi))
    for i in range(0, len(months), CHUNK):
        _write_months(conn, months[i : i + CHUNK])
    count = sa.select(sa.func.count()).select_from(CUM).where(CUM.c.month >= since)
    return int(conn.execute(count).scalar_one())


def rebuild(conn: sa.Connection, *, mark: bool = True) -> int:
    """Recompute every row from the base rollup; with `mark`, flag the table ready for readers."""
    conn.execute(CUM.delete())
    written = refresh_from(conn, "0000-01")
    if mark:
        meta_keys.put(conn, READY_KEY)
    return written


def is_ready(conn: sa.Connection) -> bool:
    """True once a marking `rebuild` filled the table and every change since maintained it."""
    return meta_keys.is_set(conn, READY_KEY)


def snapshot(conn: sa.Connection) -> list[tuple[object, ...]]:
    """The stored rows by month and customer: what tests compare with `recompute`."""
    return [tuple(r) for r in conn.execute(sa.select(CUM).order_by(CUM.c.month, CUM.c.customer_id))]


def recompute(conn: sa.Connection) -> list[tuple[object, ...]]:
    """What the table would hold if rebuilt now, computed in Python from the base rollup."""
    totals: dict[int, list[float]] = {}
    by_month: dict[str, list[tuple[int, str, float, float, int]]] = {}
    for month, customer, kind, amount, profit, orders in conn.execute(
        sa.select(BASE.c.month, BASE.c.customer_id, BASE.c.type, *(BASE.c[m] for m in MEASURES))
    ):
        by_month.setdefault(str(month), []).append((customer, kind, amount, profit, orders))
    if not by_month:
        return []
    rows: list[tuple[object, ...]] = []
    for month in month_keys(min(by_month), max(by_month)):
        for customer, kind, *values in by_month.get(month, []):
            sums = totals.setdefault(customer, [0.0] * len(VALUES))
            for i, types in enumerate(CLASSES.values()):
                if types is None or kind in types:
                    for j, value in enumerate(values):
                        sums[i * len(MEASURES) + j] += value
        for customer in sorted(totals):
            sums = totals[customer]
            if sums[MEASURES.index("orders")] > 0:
                rows.append(
                    (
                        month,
                        customer,
                        *(_typed(v, name) for v, name in zip(sums, VALUES, strict=True)),
                    )
                )
    return rows


def _typed(value: float, name: str) -> object:
    return int(value) if name.endswith("_orders") else value


def window_month_keys(start: dt.date, end: dt.date) -> tuple[str, str]:
    """The two months whose totals bound the window `start…end`: the month before it, its last."""
    return previous_month(start.isoformat()[:7]), end.isoformat()[:7]
