"""Driver analysis of revenue or ARR by customer in SQL, when customers are told apart by id.

The general analysis (`drivers.drivers`) reads both windows' breakdowns with every slice (22,000
customers at 10M orders) and decomposes them in Python. A sum KPI's decomposition is simple
(each slice contributes its own change), so when every customer is a slice of its own
(`label_totals.DISTINCT_KEY`) the database can do it: it reads each customer's value in both windows
(`dimension_sums.id_pairs`, four running totals per customer), and returns only what the answer
shows. That is the largest movers, the three largest each way, the five largest new
and lost customers, the five largest customers of each window, and one row of sums. Fewer than
fifty rows reach Python. Only those rows are named, so when a tie on value crosses a cut (names
would decide who is shown) the answer is left to the general analysis; so is any case the
general analysis words specially (a KPI missing in a window).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db.label_totals import MISSING
from execdash.insights import decompose as d
from execdash.insights.driver_answer import Condensed, answer
from execdash.insights.models import Concentration, KpiDrivers, SliceSet
from execdash.memo import kept
from execdash.metrics import month_pairs
from execdash.metrics.breakdowns import MEASURE_OF, MEASURES, kpi_span, over_text, tile_of
from execdash.metrics.dimension_sums import Measure, Pairs, Span, id_pairs, pair_months, pair_params
from execdash.metrics.queries import whole_months
from execdash.metrics.windows import Window

SUMMED = ("revenue", "arr")
"""The sum KPIs whose customer drivers can be computed here."""
NAMED = 5
"""Names listed for the new and lost slices, and slices in the top-5 concentration."""
EACH_WAY = 3
"""Largest movers listed each way."""

Row = tuple[str, float, float]
"""A customer's name, its measure in the previous window and in the window."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What the database returned: the ranked rows of each list, and the sums over every slice."""

    head: list[Row]
    ups: list[Row]
    downs: list[Row]
    new: list[Row]
    lost: list[Row]
    largest_now: list[Row]
    largest_before: list[Row]
    sums: dict[str, float]


def fetch(conn: sa.Connection, window: Window, key: str, top: int) -> Fetched | None:
    """The rows and sums of KPI `key`'s customer drivers on `window`, or None when the
    customers' running totals cannot tell them apart by id."""
    spans = [kpi_span(key, "customer", w) for w in (window.previous(), window)]
    if not all(whole_months(*span) for span in spans):
        return None
    found_pairs = _pairs(conn, (spans[0], spans[1]), MEASURE_OF[key])
    if found_pairs is None:
        return None
    pairs, params = found_pairs
    statement, summed = _statement(key, top, pairs)
    found: list[list[Row]] = [[] for _ in range(summed)]
    sums: dict[str, float] = {}
    for kind, name, prev, cur in conn.execute(statement, params).all():
        if kind == summed:
            sums[str(name)] = float(prev)
        else:
            found[kind].append((str(name), float(prev), float(cur)))
    head, ups, downs, new_rows, lost_rows, largest_now, largest_before = found
    return Fetched(head, ups, downs, new_rows, lost_rows, largest_now, largest_before, sums)


def _pairs(
    conn: sa.Connection, spans: tuple[Span, Span], measure: Measure
) -> tuple[Pairs, dict[str, str]] | None:
    """Each customer's value in both windows as a statement and its bound months: ARR's single
    months from the MRR rollup, any other sum from the running totals; None when customers are
    not told apart by id, or none has orders by then."""
    months = month_pairs.months(conn, spans, measure)
    if months is not None:
        return month_pairs.pairs(measure.scale), month_pairs.params(months)
    found = pair_months(conn, spans, measure)
    if not found:
        return None
    slots, params = pair_params(found)
    return id_pairs(measure, slots), params


@kept(64)
def _statement(key: str, top: int, pairs: Pairs) -> tuple[sa.CompoundSelect[Any], int]:
    """The one statement returning every ranked list and the sums (built once per shape, from a
    cached `pairs` statement), and the kind number of its sums rows (the lists come first)."""
    m = pairs.cte("m")  # read by every list below, computed once
    change = m.c.cur - m.c.prev
    moved = sa.or_(m.c.prev != 0, m.c.cur != 0)
    lists = [
        (moved, sa.func.abs(change).desc(), top + 1),
        (change > 0, change.desc(), EACH_WAY + 1),
        (change < 0, change.asc(), EACH_WAY + 1),
        (sa.and_(m.c.prev == 0, m.c.cur != 0), sa.func.abs(m.c.cur).desc(), NAMED + 1),
        (sa.and_(m.c.prev != 0, m.c.cur == 0), sa.func.abs(m.c.prev).desc(), NAMED + 1),
        (m.c.cur > 0, m.c.cur.desc(), NAMED + 1),
        (m.c.prev > 0, m.c.prev.desc(), NAMED + 1),
    ]
    names = s.customers
    branches = []
    for kind, (where, order, limit) in enumerate(lists):
        best = sa.select(m).where(where).order_by(order).limit(limit).subquery(f"b{kind}")
        branches.append(
            sa.select(
                sa.literal(kind, sa.Integer).label("kind"),
                sa.func.coalesce(sa.func.nullif(names.c.name, ""), MISSING["customer"]),
                best.c.prev,
                best.c.cur,
            ).select_from(best.outerjoin(names, names.c.id == best.c.id))
        )

    def flagged(
        condition: sa.ColumnElement[bool], value: sa.ColumnElement[float]
    ) -> sa.ColumnElement[float]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0.0)), 0.0)

    new, lost = sa.and_(m.c.prev == 0, m.c.cur != 0), sa.and_(m.c.prev != 0, m.c.cur == 0)
    totals = sa.select(
        sa.cast(sa.func.count(), sa.Float).label("all"),
        flagged(moved, sa.literal(1.0)).label("moved"),
        sa.func.coalesce(sa.func.sum(m.c.prev), 0.0).label("prev"),
        sa.func.coalesce(sa.func.sum(m.c.cur), 0.0).label("cur"),
        flagged(new, sa.literal(1.0)).label("new"),
        flagged(new, m.c.cur).label("new_cur"),
        flagged(lost, sa.literal(1.0)).label("lost"),
        flagged(lost, m.c.prev).label("lost_prev"),
        flagged(m.c.cur > 0, m.c.cur).label("positive_cur"),
        flagged(m.c.prev > 0, m.c.prev).label("positive_prev"),
    ).cte("t")
    # One statement, so the per-customer values are computed once: a sums row per total.
    summed = len(lists)
    branches += [
        sa.select(sa.literal(summed, sa.Integer), sa.literal(name, sa.Text), column,
                  sa.literal(0.0, sa.Float))
        for name, column in totals.c.items()
    ]  # fmt: skip
    return sa.union_all(*branches), summed


def _cut(rows: list[Row], size: int, score: Callable[[Row], float]) -> list[Row] | None:
    """The first `size` of `rows` (fetched `size + 1`, in the database's order of `score`),
    ordered as Python orders them (score, then name); None when a tie crosses the cut."""
    if len(rows) > size and score(rows[size]) == score(rows[size - 1]):
        return None
    return sorted(rows[:size], key=lambda r: (score(r), r[0]))


def _contribution(row: Row) -> d.Contribution:
    name, prev, cur = row
    return d.Contribution(name, "slice", prev, cur, cur - prev, d.status_of(prev, cur))


def _share(rows: list[Row], count: int, total: float, *, now: bool) -> float | None:
    """The share of the first `count` rows' positive measure (now or before) in `total`."""
    if total <= 0:
        return None
    return math.fsum(r[2] if now else r[1] for r in rows[:count]) / total


def condense(found: Fetched, totals: tuple[float, float], top: int) -> Condensed | None:
    """What the general analysis shows, from the fetched rows and the two windows' tiles
    (pure); None when a tie would need every name."""
    head = _cut(found.head, top, lambda r: -abs(r[2] - r[1]))
    ups = _cut(found.ups, EACH_WAY, lambda r: -(r[2] - r[1]))
    downs = _cut(found.downs, EACH_WAY, lambda r: r[2] - r[1])
    new = _cut(found.new, NAMED, lambda r: -abs(r[2]))
    lost = _cut(found.lost, NAMED, lambda r: -abs(r[1]))
    largest = _cut(found.largest_now, 1, lambda r: -r[2])
    if head is None or ups is None or downs is None or new is None or lost is None:
        return None
    if largest is None:  # the largest is the greatest name among the tied
        return None
    sums = found.sums
    shown = [_contribution(r) for r in head]
    bars = sorted(
        (c for c in shown if c.contribution >= 0), key=lambda c: (-c.contribution, c.name)
    )
    bars += sorted((c for c in shown if c.contribution < 0), key=lambda c: (c.contribution, c.name))
    rest = int(sums["all"]) - len(head)
    if rest:
        prev = sums["prev"] - sum(c.previous for c in shown)
        cur = sums["cur"] - sum(c.current for c in shown)
        bars.append(d.Contribution(d.OTHER, "other", prev, cur, cur - prev, "continuing",
                                   members=rest))  # fmt: skip
    unattributed = (totals[0] - sums["prev"], totals[1] - sums["cur"])
    if d._material(*unattributed, *totals):
        bars.append(d.Contribution(d.UNATTRIBUTED, "unattributed", *unattributed,
                                   unattributed[1] - unattributed[0], "continuing"))  # fmt: skip
    concentration = Concentration(
        top1=_share(found.largest_now, 1, sums["positive_cur"], now=True),
        top5=_share(found.largest_now, NAMED, sums["positive_cur"], now=True),
        previous_top1=_share(found.largest_before, 1, sums["positive_prev"], now=False),
        previous_top5=_share(found.largest_before, NAMED, sums["positive_prev"], now=False),
        largest=largest[0][0] if largest else None,
    )
    return Condensed(
        drivers=bars,
        top_up=[_contribution(r) for r in ups],
        top_down=[_contribution(r) for r in downs],
        new=SliceSet(
            count=int(sums["new"]),
            value=sums["new_cur"],
            contribution=sums["new_cur"],
            names=[r[0] for r in new],
        ),
        lost=SliceSet(
            count=int(sums["lost"]),
            value=sums["lost_prev"],
            contribution=-sums["lost_prev"],
            names=[r[0] for r in lost],
        ),
        concentration=concentration,
        slices=int(sums["moved"]),
    )


def drivers(conn: sa.Connection, window: Window, key: str, top: int) -> KpiDrivers | None:
    """KPI `key`'s drivers by customer on `window` computed in SQL, or None when the general
    analysis must answer (not a sum KPI, customers not told apart by id, a tie at a cut, a
    window with no tile)."""
    if key not in SUMMED:
        return None
    before, now = tile_of(conn, window.previous(), key).value, tile_of(conn, window, key).value
    if before is None or now is None:
        return None
    found = fetch(conn, window, key, top)
    if found is None:
        return None
    shown = condense(found, (before, now), top)
    if shown is None:
        return None
    measure = f"{MEASURES[key].lower()} ({over_text(key, 'customer', window, 0).split(',')[0]})"
    return answer(key, "customer", window, "sum", "", measure, (before, now, now - before), shown)
