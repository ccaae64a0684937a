"""Slices merged by name and ranked in SQL: the top N rows, one row for the rest, the totals.

A breakdown by customer has one slice per customer (22,000 at 10M orders) but shows only the
best twenty and an 'other' slice, so the database merges the slices by name, ranks them and
sums the rest: at most N + 1 rows reach Python, whatever the number of customers. The result
is exactly what `attribution.rank` computes in Python from every slice.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.metrics.attribution import Ranked
from execdash.metrics.dimension_sums import Slices


def rank_in_sql(
    conn: sa.Connection, rows: Slices, *, top: int | None, missing: str
) -> tuple[Ranked, int]:
    """Merge the slices `rows` (columns label, value, den, orders) by label (an empty or missing
    one becomes `missing`), rank them by value then label, keep the first `top` (all when None)
    and sum the rest; also return the orders counted over every slice."""
    src = rows.subquery("s")
    named = sa.select(
        sa.func.coalesce(sa.func.nullif(src.c.label, ""), missing).label("label"),
        src.c.value,
        src.c.den,
        src.c.orders,
    ).subquery("n")
    merged = (
        sa.select(
            named.c.label,
            sa.func.sum(named.c.value).label("value"),
            sa.func.sum(named.c.den).label("den"),
            sa.func.sum(named.c.orders).label("orders"),
        )
        .group_by(named.c.label)
        .cte("m")  # read twice, computed once (SQLite and PostgreSQL materialise it)
    )
    # Names tie-break in code-point order, as Python compares strings (SQLite's BINARY does).
    by_name: sa.ColumnElement[str] = merged.c.label
    if conn.dialect.name == "postgresql":
        by_name = sa.collate(merged.c.label, "C")
    best = sa.select(merged).order_by(merged.c.value.desc(), by_name)
    if top is not None:
        best = best.limit(top)  # a bounded sort: the top rows only, never the whole list
    listed = best.subquery("b")
    query = sa.union_all(
        sa.select(sa.literal(0, sa.Integer).label("kind"), listed),
        sa.select(
            sa.literal(1, sa.Integer),
            sa.cast(sa.null(), sa.Text),
            sa.func.sum(merged.c.value),
            sa.func.sum(merged.c.den),
            sa.func.sum(merged.c.orders),
        ),
        sa.select(  # the number of names, in the orders column of its own row
            sa.literal(2, sa.Integer),
            sa.cast(sa.null(), sa.Text),
            sa.cast(sa.null(), sa.Float),
            sa.cast(sa.null(), sa.Float),
            sa.func.count(),
        ).select_from(merged),
    )
    top_rows: list[tuple[str, float, float | None]] = []
    value, den, orders, labels = 0.0, None, 0, 0
    for kind, label, v, d, n in conn.execute(query).all():
        if kind == 0:
            top_rows.append((str(label), float(v or 0), None if d is None else float(d)))
        elif kind == 1:
            value, den, orders = float(v or 0), None if d is None else float(d), int(n or 0)
        else:
            labels = int(n or 0)
    top_rows.sort(key=lambda row: (-row[1], row[0]))
    rest: tuple[float, float | None] | None = None
    if len(top_rows) < labels:  # the rest: every name beyond the top ones, as one sum
        rest_den = None if den is None else den - sum(d or 0.0 for _, _, d in top_rows)
        rest = (value - sum(v for _, v, _ in top_rows), rest_den)
    ranked = Ranked(top=top_rows, rest=rest, value=value, denominator=den, labels=labels)
    return ranked, orders
