"""Order sums of a window of whole months by customer, industry or source, from running totals.

Each customer's sums over the window are its running totals at the window's last month minus
those at the month before (`execdash.db.cumulative`): two exact-month index reads per customer,
the same cost for a quarter as for two years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa

from execdash.db import cumulative, label_totals, rollups
from execdash.db import schema as s
from execdash.memo import kept

Types = tuple[str, ...] | None
"""An order-type set (None = every order, including those without a type)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One additive order measure: Σ `measure` (amount or profit) of the orders of `types`."""

    types: Types
    measure: str = "amount"


@dataclass(frozen=True, slots=True)
class Measure:
    """What a slice adds up from orders: its value and, for a ratio KPI, its denominator."""

    value: Part
    denominator: Part | None = None
    scale: float = 1.0
    """Factor applied to the value (12 for an annualised run rate)."""

    @property
    def parts(self) -> tuple[Part, ...]:
        """The value part, then the denominator part if any."""
        return (self.value,) if self.denominator is None else (self.value, self.denominator)

    @property
    def counted(self) -> Types:
        """The order types whose orders a slice counts: every part's types (None = all)."""
        if any(p.types is None for p in self.parts):
            return None
        return tuple(sorted({kind for p in self.parts for kind in p.types or ()}))


Slices = sa.Select[*tuple[Any, ...]]
"""A select of one row per slice with the `LABELS` columns."""
Span = tuple[dt.date, dt.date]
"""A window's first and last day."""


@dataclass(frozen=True, slots=True)
class Bound:
    """A per-slice select built once per shape and the values bound to it for one read.

    Building a SQLAlchemy select costs more than SQLite spends running a small one (a product
    breakdown: 0.7 ms to build, 0.04 ms to run), so the fast paths keep their statements and
    bind the months; whoever ranks them may keep its own statement around them too."""

    query: Slices
    params: Mapping[str, Any] = field(default_factory=dict)


Read = Slices | Bound
"""Per-slice rows to read: a select built for this call, or a kept one with its values."""


def unbound(rows: Read) -> tuple[Slices, dict[str, Any]]:
    """The select of `rows` and the values to execute it with."""
    if isinstance(rows, Bound):
        return rows.query, dict(rows.params)
    return rows, {}


LABELS = ("label", "value", "den", "orders")
"""Columns of every per-slice select: dimension value, Σ value, Σ denominator, orders."""


dimension_column = label_totals.column
"""The customers column a breakdown by `dimension` (customer, industry, source) names."""


def usable(conn: sa.Connection) -> bool:
    """True when the running totals and the rollup they are derived from are both maintained."""
    base = rollups.by_target(cumulative.BASE.name)
    return cumulative.is_ready(conn) and rollups.is_ready(conn, base)


def _kinds(measure: Measure) -> list[str] | None:
    """The kept type sets of the measure's parts (disjoint unless equal), or None if not kept."""
    kinds = [cumulative.kind_of(p.types) for p in measure.parts]
    if any(k is None for k in kinds):
        return None
    distinct = list(dict.fromkeys(k for k in kinds if k is not None))
    if len(distinct) > 1 and any(cumulative.CLASSES[k] is None for k in distinct):
        return None  # 'all' overlaps every other set: its orders would be counted twice
    return [k for k in kinds if k is not None]


def window_slices(
    conn: sa.Connection, dimension: str, start: dt.date, end: dt.date, measure: Measure
) -> Read | None:
    """One row per customer with orders of the measure's types in the whole months
    `start…end`: its `dimension` value and the `LABELS` sums (names may repeat). None when the
    running totals cannot answer (a type set not kept, or they are not ready)."""
    if _kinds(measure) is None or not usable(conn):
        return None
    return _deltas(conn, start, end, measure, "window", dimension)


def label_slices(
    conn: sa.Connection, dimension: str, start: dt.date, end: dt.date, measure: Measure
) -> Read | None:
    """One row per industry or source (`label_totals.SUMMED`) with orders of the measure's types
    in the whole months `start…end`: its label, already merged and named as a slice is
    (`label_totals.MISSING` for none), and the `LABELS` sums. None when the per-label totals
    cannot answer."""
    if dimension not in label_totals.SUMMED or _kinds(measure) is None or not usable(conn):
        return None
    if not label_totals.readiness(conn)[0]:
        return None
    return _deltas(conn, start, end, measure, "label", dimension)


def id_slices(conn: sa.Connection, start: dt.date, end: dt.date, measure: Measure) -> Read | None:
    """One row per customer with orders of the measure's types in the whole months `start…end`,
    its customer id in `label`, when every such customer is a slice of its own (no two share a
    name, `label_totals.DISTINCT_KEY`); else None."""
    if _kinds(measure) is None or not usable(conn) or not label_totals.readiness(conn)[1]:
        return None
    return _deltas(conn, start, end, measure, "id", None)


Pairs = sa.Select[tuple[Any, float, float]]
"""A select of one row per customer: its id and its value in two windows (`prev`, `cur`)."""


def pair_months(
    conn: sa.Connection, spans: tuple[Span, Span], measure: Measure
) -> list[str] | None:
    """The months whose running totals give each customer's value in two windows of whole
    months (`spans`: before, now): the month before each window and its last, clamped to the
    latest data month; [] when there are no running totals; None when customers are not told
    apart by id (`id_slices`)."""
    if _kinds(measure) is None or not usable(conn) or not label_totals.readiness(conn)[1]:
        return None
    lo, hi = cumulative.month_span(conn, cumulative.CUM)
    if lo is None or hi is None:
        return []
    # Past the latest data month every total stays as it was in that month.
    return [min(k, hi) for span in spans for k in cumulative.window_month_keys(*span)]


def pair_params(months: list[str]) -> tuple[tuple[int, ...], dict[str, str]]:
    """`months` (from `pair_months`) as `id_pairs`' slots and bound parameters: slot 0 is the
    latest month, equal months share a slot."""
    distinct = list(dict.fromkeys([max(months), *months]))
    return tuple(distinct.index(m) for m in months), {
        f"pair_month_{i}": m for i, m in enumerate(distinct)
    }


def _make_id_pairs(measure: Measure, slots: tuple[int, ...]) -> Pairs:
    """One row per customer with orders of the measure's types in either of two windows, its
    id and its value in each (`prev`, `cur`; 0 without orders there), for the months bound as
    `pair_params` gives them; the statement is built once per shape.

    It is the join of the two windows' `id_slices`, read as exact-month lookups per customer
    from the rows of the latest of those months (every customer with an order by then has one),
    so no join of two unindexed per-customer selects is needed."""
    kinds = _kinds(measure)
    assert kinds is not None
    e = cumulative.CUM.alias("e")
    source: sa.FromClause = e
    at: dict[int, sa.FromClause] = {0: e}
    for slot in sorted(set(slots) - {0}):
        a = cumulative.CUM.alias(f"m{slot}")
        month = sa.bindparam(f"pair_month_{slot}", type_=sa.Text)
        same = sa.and_(a.c.month == month, a.c.customer_id == e.c.customer_id)
        source = source.outerjoin(a, same)
        at[slot] = a

    def delta(before: int, last: int, column: str) -> sa.ColumnElement[float]:
        return sa.func.coalesce(at[last].c[column], 0) - sa.func.coalesce(at[before].c[column], 0)

    def orders(before: int, last: int) -> sa.ColumnElement[float]:
        return sum((delta(before, last, f"{k}_orders") for k in dict.fromkeys(kinds)),
                   sa.literal(0))  # fmt: skip

    def value(before: int, last: int) -> sa.ColumnElement[float]:
        total = delta(before, last, f"{kinds[0]}_{measure.value.measure}")
        if measure.scale != 1:
            total = total * measure.scale
        return sa.case((orders(before, last) > 0, total), else_=0.0)

    (b1, l1), (b2, l2) = slots[:2], slots[2:]
    latest = sa.bindparam("pair_month_0", type_=sa.Text)
    return (
        sa.select(e.c.customer_id.label("id"), value(b1, l1).label("prev"),
                  value(b2, l2).label("cur"))
        .select_from(source)
        .where(e.c.month == latest, sa.or_(orders(b1, l1) > 0, orders(b2, l2) > 0))
    )  # fmt: skip


id_pairs = kept(64)(_make_id_pairs)
"""`_make_id_pairs`, built once per shape (`execdash.memo`)."""


Shape = Literal["window", "label", "id"]
"""Which per-slice rows `_deltas` reads: "window" (per customer, named by a customers column),
"label" (per industry or source, from the per-label totals) or "id" (per customer id)."""


def _deltas(
    conn: sa.Connection,
    start: dt.date,
    end: dt.date,
    measure: Measure,
    shape: Shape,
    dimension: str | None,
) -> Read:
    """Rows of the running totals (per customer, or per label for the "label" `shape`): the
    totals at the window's last month minus those at the month before, one row per key with
    orders in the window."""
    lo, hi = cumulative.month_span(conn, cumulative.CUM)
    before, last = cumulative.window_month_keys(start, end)
    if lo is None or hi is None or last < lo:
        return no_slices()
    # Past the latest data month every total stays as it was in that month.
    params = {"before_month": min(before, hi), "last_month": min(last, hi)}
    return Bound(_delta_query(measure, shape, dimension), params)


def _make_delta_query(measure: Measure, shape: Shape, dimension: str | None) -> Slices:
    """The select of `_deltas`, built once per measure, shape and dimension."""
    kinds = _kinds(measure)
    assert kinds is not None
    table = label_totals.LABEL if shape == "label" else cumulative.CUM
    keys = ["dimension", "label"] if shape == "label" else ["customer_id"]
    e, p = table.alias("e"), table.alias("p")

    def delta(kind: str, name: str) -> sa.ColumnElement[float]:
        column = f"{kind}_{name}"
        return e.c[column] - sa.func.coalesce(p.c[column], 0)

    value = delta(kinds[0], measure.value.measure)
    if measure.scale != 1:
        value = value * measure.scale
    den: sa.ColumnElement[Any] = no_denominator()
    if measure.denominator is not None:
        den = delta(kinds[1], measure.denominator.measure)
    orders = sum((delta(k, "orders") for k in dict.fromkeys(kinds)), sa.literal(0))
    before = sa.bindparam("before_month", type_=sa.Text)
    same = [p.c.month == before, *(p.c[k] == e.c[k] for k in keys)]
    source: sa.FromClause = e.outerjoin(p, sa.and_(*same))
    label: sa.ColumnElement[Any]
    if shape == "window":
        c = s.customers
        source = source.outerjoin(c, c.c.id == e.c.customer_id)
        label = dimension_column(str(dimension))
    else:
        label = e.c.label if shape == "label" else e.c.customer_id
    query = (
        sa.select(label.label("label"), value.label("value"), den.label("den"),
                  orders.label("orders"))
        .select_from(source)
        .where(e.c.month == sa.bindparam("last_month", type_=sa.Text), orders > 0)
    )  # fmt: skip
    return query.where(e.c.dimension == dimension) if shape == "label" else query


_delta_query = kept(64)(_make_delta_query)
"""`_make_delta_query`, built once per shape (`execdash.memo`)."""


def no_denominator() -> sa.ColumnElement[float | None]:
    """The `den` of a slice that has none: a typed NULL (PostgreSQL cannot sum an untyped one)."""
    return sa.cast(sa.null(), sa.Float)


def no_slices() -> Slices:
    """A select of the `LABELS` columns with no row."""
    types: tuple[type[sa.types.TypeEngine[Any]], ...] = (sa.Text, sa.Float, sa.Float, sa.Integer)
    nulls = [sa.cast(sa.null(), k).label(n) for n, k in zip(LABELS, types, strict=True)]
    return sa.select(*nulls).where(sa.false())


def fetch(conn: sa.Connection, rows: Read) -> list[Row]:
    """Every row of a per-slice select (tests and uncapped callers)."""
    found = conn.execute(*unbound(rows)).all()  # one fetchall: iterating fetches row by row
    return [
        (r[0], float(r[1] or 0), None if r[2] is None else float(r[2]), int(r[3] or 0))
        for r in found
    ]


Row = tuple[str | None, float, float | None, int]
"""Dimension value, Σ value, Σ denominator (None unless a ratio), number of orders."""
