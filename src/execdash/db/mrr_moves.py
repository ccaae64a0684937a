"""MRR movements kept at write time, derived from the month × customer MRR rollup.

The MRR bridge of a window (insights.mrr) classifies every paying customer month by month:
new, reactivation, expansion, contraction or churn (definitions in insights.movements). Done
per request, that reads every customer's MRR of every month of the window (230,000 rows over
two years at 10M orders). Kept here, a window's bridge is one row per month plus one count of
distinct customers per movement.

- `MONTH`: per month, the bridge (opening, each movement's Σ and customers, closing) and the
  trailing-12-month cohort's terms, from the first month with MRR to the month after the last
  (when every customer still paying has churned).
- `MOVES`: per customer and month, its movement and signed change, with the month it last made
  the same movement: the distinct customers of a movement over months a…b are the rows of a…b
  whose previous month is NULL or before a.

A change of the MRR rollup in month `m` changes the bridge of `m` and `m + 1`, the cohorts
ending 12 months later and the previous months of later rows: `refresh_from(m)` recomputes `m`
and every later month (for appends in the latest month, two months). It runs after the first
recurring months (`db.cohorts`) are recomputed, which only ever move within the refreshed months.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.db import meta_keys
from execdash.db import tables as t
from execdash.db.cumulative import CHUNK, month_keys, next_month, previous_month

MONTH = t.mrr_movements_month
MOVES = t.mrr_movements_customer
MRR = t.rollup_mrr_month_customer
FIRST = t.rollup_recurring_first_month
MOVEMENTS = t.MRR_MOVES
NO_CUSTOMER = 0
COHORT_MONTHS = 12
READY_KEY = f"rollup_ready:{MONTH.name}"


def cohort_start(month: str) -> str:
    """The `YYYY-MM` key 12 months before `month`: when its trailing cohort was paying."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-{number:02d}"


def _grid(months: list[str]) -> sa.Subquery:
    """Each month with the month before it and its cohort's start month, as a derived table."""
    rows = [
        sa.select(
            sa.literal(m, sa.Text).label("month"),
            sa.literal(previous_month(m), sa.Text).label("prev"),
            sa.literal(cohort_start(m), sa.Text).label("start"),
        )
        for m in months
    ]
    return (sa.union_all(*rows) if len(rows) > 1 else rows[0]).subquery("g")


def _active(table: sa.FromClause) -> sa.ColumnElement[bool]:
    """A customer paying something that month (a net credit counts as not paying)."""
    return sa.and_(table.c.customer_id != NO_CUSTOMER, table.c.amount > 0)


def _classified(g: sa.Subquery) -> sa.Select[tuple[object, ...]]:
    """Every paying customer's movement into each month of `g`: its MRR that month and the
    month before paired by a GROUP BY (no FULL JOIN), then classified; unchanged ones left out."""
    none = sa.cast(sa.null(), sa.Float)
    this_month = (
        sa.select(
            g.c.month,
            MRR.c.customer_id,
            MRR.c.amount.label("cur_amount"),
            none.label("prev_amount"),
        )
        .select_from(g.join(MRR, MRR.c.month == g.c.month))
        .where(_active(MRR))
    )
    month_before = (
        sa.select(
            g.c.month,
            MRR.c.customer_id,
            none.label("cur_amount"),
            MRR.c.amount.label("prev_amount"),
        )
        .select_from(g.join(MRR, MRR.c.month == g.c.prev))
        .where(_active(MRR))
    )
    both = sa.union_all(this_month, month_before).subquery("b")
    x = (
        sa.select(
            both.c.month,
            both.c.customer_id,
            sa.func.max(both.c.cur_amount).label("cur_amount"),
            sa.func.max(both.c.prev_amount).label("prev_amount"),
        )
        .group_by(both.c.month, both.c.customer_id)
        .subquery("x")
    )
    now, before = x.c.cur_amount, x.c.prev_amount
    first_month = sa.func.coalesce(FIRST.c.month, x.c.month)
    movement = sa.case(
        (before.is_(None), sa.case((first_month >= x.c.month, "new"), else_="reactivation")),
        (now.is_(None), "churn"),
        (now > before, "expansion"),
        else_="contraction",
    )
    change = sa.case((before.is_(None), now), (now.is_(None), -before), else_=now - before)
    return (
        sa.select(x.c.customer_id, movement, x.c.month, change)
        .select_from(x.outerjoin(FIRST, FIRST.c.customer_id == x.c.customer_id))
        .where(sa.or_(before.is_(None), now.is_(None), now != before))
    )


def _cohorts(conn: sa.Connection, g: sa.Subquery) -> dict[str, tuple[int, float, float, float]]:
    """Per month of `g`: customers paying 12 months before, their MRR then, and the Σ of their
    gains and of their losses (churn and contraction, ≤ 0) since."""
    b, later = MRR.alias("b"), MRR.alias("l")
    diff = sa.func.coalesce(later.c.amount, 0.0) - b.c.amount
    query = (
        sa.select(
            g.c.month,
            sa.func.count(),
            sa.func.sum(b.c.amount),
            sa.func.sum(sa.case((diff > 0, diff), else_=0.0)),
            sa.func.sum(sa.case((diff > 0, 0.0), else_=diff)),
        )
        .select_from(
            g.join(b, sa.and_(b.c.month == g.c.start, _active(b))).outerjoin(
                later, sa.and_(later.c.month == g.c.month, later.c.customer_id == b.c.customer_id)
            )
        )
        .group_by(g.c.month)
    )
    return {
        str(m): (int(n), float(base), float(gained), float(lost))
        for m, n, base, gained, lost in conn.execute(query)
    }


def _totals(conn: sa.Connection, first: str, last: str) -> dict[str, tuple[float, int]]:
    """Σ MRR (every row, unattributed and credits included) and paying customers per month."""
    query = (
        sa.select(
            MRR.c.month,
            sa.func.sum(MRR.c.amount),
            sa.func.sum(sa.case((_active(MRR), 1), else_=0)),
        )
        .where(MRR.c.month >= first, MRR.c.month <= last)
        .group_by(MRR.c.month)
    )
    return {str(m): (float(total), int(n)) for m, total, n in conn.execute(query)}


def _sums(conn: sa.Connection, since: str) -> dict[str, dict[str, tuple[float, int]]]:
    """Σ change and customers per month (from `since`) and movement, from the stored rows."""
    query = (
        sa.select(MOVES.c.month, MOVES.c.movement, sa.func.sum(MOVES.c.amount), sa.func.count())
        .where(MOVES.c.month >= since)
        .group_by(MOVES.c.month, MOVES.c.movement)
    )
    out: dict[str, dict[str, tuple[float, int]]] = {}
    for month, movement, total, n in conn.execute(query):
        out.setdefault(str(month), {})[str(movement)] = (float(total), int(n))
    return out


@dataclass(frozen=True, slots=True)
class MonthInputs:
    """What one month's row is made of, each read in SQL over every month at once."""

    opening: tuple[float, int]
    """Σ MRR and paying customers of the month before."""
    closing: tuple[float, int]
    moves: Mapping[str, tuple[float, int]]
    """Movement → (Σ signed change, customers); movements nobody made are absent."""
    cohort: tuple[int, float, float, float]
    """Customers paying 12 months before, their MRR then, Σ gains, Σ losses."""


def month_row(month: str, inputs: MonthInputs) -> dict[str, object]:
    """One `MONTH` row (pure): the unattributed line closes the bridge, so opening + every
    movement + unattributed = closing."""
    amounts = {m: inputs.moves.get(m, (0.0, 0))[0] for m in MOVEMENTS}
    opening, closing = inputs.opening[0], inputs.closing[0]
    customers, base, gained, lost = inputs.cohort
    return {
        "month": month,
        "opening": opening,
        "closing": closing,
        **amounts,
        "unattributed": closing - opening - math.fsum(amounts.values()),
        "opening_customers": inputs.opening[1],
        "closing_customers": inputs.closing[1],
        **{f"{m}_customers": inputs.moves.get(m, (0.0, 0))[1] for m in MOVEMENTS},
        "cohort_customers": customers,
        "cohort_base": base,
        "cohort_gained": gained,
        "cohort_lost": lost,
    }


def _chunks(months: list[str]) -> Iterable[list[str]]:
    """Months in runs short enough for one compound SELECT (SQLite allows 500 terms)."""
    for i in range(0, len(months), CHUNK):
        yield months[i : i + CHUNK]


def _write(conn: sa.Connection, months: list[str]) -> None:
    """Insert the rows of `months` (consecutive, none stored yet) into both tables."""
    names = ["customer_id", "movement", "month", "amount"]
    cohorts: dict[str, tuple[int, float, float, float]] = {}
    for chunk in _chunks(months):
        g = _grid(chunk)
        conn.execute(MOVES.insert().from_select(names, _classified(g)))
        cohorts.update(_cohorts(conn, g))
    _link_previous(conn, months[0])
    totals = _totals(conn, previous_month(months[0]), months[-1])
    sums = _sums(conn, months[0])
    rows = [
        month_row(
            m,
            MonthInputs(
                opening=totals.get(previous_month(m), (0.0, 0)),
                closing=totals.get(m, (0.0, 0)),
                moves=sums.get(m, {}),
                cohort=cohorts.get(m, (0, 0.0, 0.0, 0.0)),
            ),
        )
        for m in months
    ]
    conn.execute(MONTH.insert(), rows)


def _link_previous(conn: sa.Connection, since: str) -> None:
    """Set `previous` of the rows from `since` on: the customer's last month with the same
    movement before (a primary-key range read per row; earlier rows are already linked)."""
    earlier = MOVES.alias("e")
    last = (
        sa.select(sa.func.max(earlier.c.month))
        .where(
            earlier.c.customer_id == MOVES.c.customer_id,
            earlier.c.movement == MOVES.c.movement,
            earlier.c.month < MOVES.c.month,
        )
        .scalar_subquery()
    )
    conn.execute(MOVES.update().where(MOVES.c.month >= since).values(previous=last))


def _span(conn: sa.Connection) -> tuple[str, str] | None:
    """The months to keep: the first with MRR to the month after the last, None if no MRR."""
    lo = conn.execute(sa.select(sa.func.min(MRR.c.month))).scalar()
    hi = conn.execute(sa.select(sa.func.max(MRR.c.month))).scalar()
    return None if lo is None or hi is None else (str(lo), next_month(str(hi)))


def refresh_from(conn: sa.Connection, since: str) -> None:
    """Recompute month `since` (`YYYY-MM`) and every later month, after the MRR rollup changed
    there (and the first recurring months were recomputed)."""
    stored = conn.execute(sa.select(sa.func.max(MONTH.c.month))).scalar()
    if stored is not None:  # months the data gained in between get their rows too
        since = min(since, next_month(str(stored)))
    conn.execute(MONTH.delete().where(MONTH.c.month >= since))
    conn.execute(MOVES.delete().where(MOVES.c.month >= since))
    span = _span(conn)
    if span is None:
        conn.execute(MONTH.delete())
        conn.execute(MOVES.delete())
        return
    lo, hi = span
    # Months before the first with MRR (its earliest orders gone) hold nothing any more.
    conn.execute(MONTH.delete().where(MONTH.c.month < lo))
    conn.execute(MOVES.delete().where(MOVES.c.month < lo))
    months = month_keys(max(since, lo), hi)
    if months:
        _write(conn, months)


def rebuild(conn: sa.Connection, *, mark: bool = True) -> None:
    """Recompute every row from the MRR rollup; with `mark`, flag the tables ready for readers."""
    conn.execute(MONTH.delete())
    conn.execute(MOVES.delete())
    refresh_from(conn, "0000-01")
    if mark:
        meta_keys.put(conn, READY_KEY)


def is_ready(conn: sa.Connection) -> bool:
    """True once a marking `rebuild` filled the tables and every change since maintained them."""
    return meta_keys.is_set(conn, READY_KEY)


def snapshot(conn: sa.Connection) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The stored rows of both tables in key order: what tests compare with a rebuild."""
    months = conn.execute(sa.select(MONTH).order_by(MONTH.c.month))
    moves = conn.execute(
        sa.select(MOVES).order_by(MOVES.c.customer_id, MOVES.c.movement, MOVES.c.month)
    )
    return [tuple(r) for r in months], [tuple(r) for r in moves]
