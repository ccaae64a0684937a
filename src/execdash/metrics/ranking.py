"""Slices merged by name and ranked in SQL: the top N rows, one row for the rest, the totals.

A breakdown by customer has one slice per customer (22,000 at 10M orders) but shows only the
best twenty and an 'other' slice, so the database merges the slices by name, ranks them and
sums the rest: at most N + 1 rows reach Python, whatever the number of customers. The result
is exactly what `attribution.rank` computes in Python from every slice.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from execdash.memo import kept
from execdash.metrics.attribution import Ranked
from execdash.metrics.dimension_sums import Bound, Read, Slices, unbound


def rank_in_sql(
    conn: sa.Connection, rows: Read, *, top: int | None, missing: str, merged: bool = False
) -> tuple[Ranked, int]:
    """Merge the slices `rows` (columns label, value, den, orders) by label (an empty or missing
    one becomes `missing`), rank them by value then label, keep the first `top` (all when None)
    and sum the rest; also return the orders counted over every slice. With `merged`, the rows'
    labels are already distinct and named (`dimension_sums.label_slices`): no merge is done.
    Kept `rows` (`Bound`) get a kept ranking statement: nothing is built per call."""
    postgres = conn.dialect.name == "postgresql"
    build = _kept_ranking if isinstance(rows, Bound) else ranking_query
    select, params = unbound(rows)
    query = build(select, top=top, missing=missing, merged=merged, postgres=postgres)
    return _read_ranked(conn.execute(query, params).all())


def ranking_query(
    rows: Slices, *, top: int | None, missing: str, merged: bool, postgres: bool
) -> sa.CompoundSelect[*tuple[Any, ...]]:
    """The statement of `rank_in_sql` around the per-slice select `rows`: the top slices
    (kind 0), the sums over every slice (kind 1) and the number of names (kind 2)."""
    src = rows.subquery("s")
    if merged:
        slices = sa.select(src).cte("m")  # read twice, computed once
    else:
        named = sa.select(
            sa.func.coalesce(sa.func.nullif(src.c.label, ""), missing).label("label"),
            src.c.value,
            src.c.den,
            src.c.orders,
        ).subquery("n")
        slices = (
            sa.select(
                named.c.label,
                sa.func.sum(named.c.value).label("value"),
                sa.func.sum(named.c.den).label("den"),
                sa.func.sum(named.c.orders).label("orders"),
            )
            .group_by(named.c.label)
            .cte("m")  # read twice, computed once (SQLite and PostgreSQL materialise it)
        )
    return _ranking(slices, top, postgres)


_kept_ranking = kept(64)(ranking_query)
"""`ranking_query` of a kept per-slice select, built once per select and shape."""


def _ranking(
    merged: sa.CTE, top: int | None, postgres: bool
) -> sa.CompoundSelect[*tuple[Any, ...]]:
    """Rank the distinct slices `merged` (label, value, den, orders) in one statement."""
    # Names tie-break in code-point order, as Python compares strings (SQLite's BINARY does).
    by_name: sa.ColumnElement[str] = merged.c.label
    if postgres:
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
    return query


def _read_ranked(found: Any) -> tuple[Ranked, int]:
    """The ranked slices and the orders counted from the rows of a `ranking_query`."""
    top_rows: list[tuple[str, float, float | None]] = []
    value, den, orders, labels = 0.0, None, 0, 0
    for kind, label, v, d, n in found:
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


def rank_ids(
    conn: sa.Connection, rows: Read, *, top: int, names: sa.FromClause, missing: str
) -> tuple[Ranked, int] | None:
    """Rank slices `rows` whose `label` is an id, each id a slice of its own named by the
    `name` of its row in `names` (`missing` without one): the best `top` by value, named once
    ranked, and the rest summed, exactly as `rank_in_sql` ranks the named slices when no two ids
    share a name. None when a tie on value crosses the cut: only the names could settle it."""
    build = _kept_ids if isinstance(rows, Bound) else ids_query
    select, params = unbound(rows)
    query = build(select, top=top, names=names, missing=missing)
    return _read_ids(conn.execute(query, params).all(), top)


def ids_query(
    rows: Slices, *, top: int, names: sa.FromClause, missing: str
) -> sa.CompoundSelect[*tuple[Any, ...]]:
    """The statement of `rank_ids` around the per-id select `rows`: the best `top` + 1 ids
    named (kind 0), the sums and number of ids (kind 1) and the orders (kind 2)."""
    m = rows.cte("m")  # read twice, computed once
    best = sa.select(m).order_by(m.c.value.desc()).limit(top + 1).subquery("b")
    listed = sa.select(
        sa.literal(0, sa.Integer).label("kind"),
        sa.func.coalesce(sa.func.nullif(names.c.name, ""), missing),
        best.c.value,
        best.c.den,
        best.c.orders,
    ).select_from(best.outerjoin(names, names.c.id == best.c.label))
    query = sa.union_all(
        listed,
        sa.select(
            sa.literal(1, sa.Integer),
            sa.cast(sa.null(), sa.Text),
            sa.func.sum(m.c.value),
            sa.func.sum(m.c.den),
            sa.func.count(),
        ),
        sa.select(
            sa.literal(2, sa.Integer),
            sa.cast(sa.null(), sa.Text),
            sa.cast(sa.null(), sa.Float),
            sa.cast(sa.null(), sa.Float),
            sa.func.sum(m.c.orders),
        ),
    )
    return query


_kept_ids = kept(16)(ids_query)
"""`ids_query` of a kept per-id select, built once per select and shape."""


def _read_ids(found: Any, top: int) -> tuple[Ranked, int] | None:
    """The ranked slices and the orders from the rows of an `ids_query` (None on a tie at
    the cut)."""
    top_rows: list[tuple[str, float, float | None]] = []
    value, den, labels, orders = 0.0, None, 0, 0
    for kind, label, v, d, n in found:
        if kind == 0:
            top_rows.append((str(label), float(v or 0), None if d is None else float(d)))
        elif kind == 1:
            value, den, labels = float(v or 0), None if d is None else float(d), int(n or 0)
        else:
            orders = int(n or 0)
    top_rows.sort(key=lambda row: (-row[1], row[0]))
    if len(top_rows) > top:
        values = sorted((v for _, v, _ in top_rows), reverse=True)
        if values[top] == values[top - 1]:
            return None  # which of the tied slices is in the top depends on their names
        top_rows = top_rows[:top]
    rest: tuple[float, float | None] | None = None
    if len(top_rows) < labels:
        rest_den = None if den is None else den - sum(d or 0.0 for _, _, d in top_rows)
        rest = (value - sum(v for _, v, _ in top_rows), rest_den)
    ranked = Ranked(top=top_rows, rest=rest, value=value, denominator=den, labels=labels)
    return ranked, orders
