"""A window's MRR movements read from the movements kept at write time (`db.mrr_moves`).

One row per month of the window and one count per movement, instead of every customer's MRR
of every month: the same numbers as classifying the history (`insights.movements`), which
stays the definition and the path for windows the kept months do not cover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.db import mrr_moves, rollups
from execdash.insights import movements as mv

MONTH, MOVES = mrr_moves.MONTH, mrr_moves.MOVES
SOURCE = (
    f"{MONTH.name} and {MOVES.name} (MRR movements kept from the subscription/recurring "
    "orders by month and customer)"
)


@dataclass(frozen=True, slots=True)
class Kept:
    """What the kept tables say of a window's months."""

    months: list[mv.MonthTotals]
    customers: dict[str, int]
    """Movement → distinct customers who made it in any month of the window."""
    cohorts: list[mv.Cohort]
    """Per month: the trailing-12-month cohort's retention."""


def usable(conn: sa.Connection) -> bool:
    """True when the kept movements follow the MRR rollup and it is up to date."""
    mrr = rollups.by_target(mrr_moves.MRR.name)
    return mrr_moves.is_ready(conn) and rollups.is_ready(conn, mrr)


def read(conn: sa.Connection, months: Sequence[str]) -> Kept | None:
    """The kept figures of consecutive `months`, None when the window ends after the last kept
    month (its cohorts would need MRR the tables do not hold)."""
    first, last = months[0], months[-1]
    rows = {
        str(r.month): r
        for r in conn.execute(sa.select(MONTH).where(MONTH.c.month >= first, MONTH.c.month <= last))
    }
    kept = conn.execute(sa.select(sa.func.min(MONTH.c.month), sa.func.max(MONTH.c.month))).one()
    if kept[0] is None or last > str(kept[1]):
        return None
    out: list[mv.MonthTotals] = []
    cohorts: list[mv.Cohort] = []
    for m in months:
        row = rows.get(m)
        if row is None:  # before the first month with MRR
            out.append(_zero(m))
            cohorts.append(mv.cohort_of(0, 0.0, 0.0, 0.0))
            continue
        out.append(
            mv.MonthTotals(
                month=m,
                opening=row.opening,
                closing=row.closing,
                amounts={k: row._mapping[k] for k in (*mv.MOVES, "unattributed")},
                counts={k: row._mapping[f"{k}_customers"] for k in mv.MOVES},
                opening_customers=row.opening_customers,
                closing_customers=row.closing_customers,
            )
        )
        cohorts.append(
            mv.cohort_of(row.cohort_customers, row.cohort_base, row.cohort_gained, row.cohort_lost)
        )
    return Kept(months=out, customers=_distinct(conn, first, last), cohorts=cohorts)


def _zero(month: str) -> mv.MonthTotals:
    """A month before the first with MRR: nothing opens, moves or closes."""
    return mv.MonthTotals(
        month=month, opening=0.0, closing=0.0,
        amounts=dict.fromkeys((*mv.MOVES, "unattributed"), 0.0),
        counts=dict.fromkeys(mv.MOVES, 0), opening_customers=0, closing_customers=0,
    )  # fmt: skip


def _distinct(conn: sa.Connection, first: str, last: str) -> dict[str, int]:
    """Movement → distinct customers over `first…last`: each customer's first row of the
    movement in the window is the one whose previous such month is before the window."""
    query = (
        sa.select(MOVES.c.movement, sa.func.count())
        .where(
            MOVES.c.month >= first,
            MOVES.c.month <= last,
            sa.or_(MOVES.c.previous.is_(None), MOVES.c.previous < first),
        )
        .group_by(MOVES.c.movement)
    )
    found = {str(m): int(n) for m, n in conn.execute(query)}
    return {m: found.get(m, 0) for m in mv.MOVES}


def bridge(months: list[mv.MonthTotals], customers: dict[str, int]) -> mv.Bridge:
    """The window's bridge from its months' totals and distinct customers (pure)."""
    keys = (*mv.MOVES, "unattributed")
    return mv.Bridge(
        opening=months[0].opening,
        closing=months[-1].closing,
        amounts={k: math.fsum(m.amounts[k] for m in months) for k in keys},
        customers=customers,
        opening_customers=months[0].opening_customers,
        closing_customers=months[-1].closing_customers,
        months=months,
    )
