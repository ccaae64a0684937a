"""Facts read once per answer: an answer that needs the ten KPIs' monthly facts for its window and
again for a longer history (a plan comparison forecasts from 24 months) reads them once.

Inside `sharing()`, `executive.fetch_facts` keeps what it read. A later call for the same
connection and end month whose months are all inside what was kept gets the kept facts narrowed
to its own months, so its numbers are exactly those of a read of its own; only the new-MRR
spans it asks for that were not read yet are read. Outside `sharing()` nothing is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

import sqlalchemy as sa

from execdash.metrics.formulas import Facts
from execdash.metrics.models import DataQualityWarning
from execdash.metrics.windows import month_key

RANGED = (
    "booked",
    "backlog",
    "uptime",
    "win_rate",
    "order_amount",
    "order_profit",
    "recurring_amount",
    "expenses",
    "pipeline_sql",
    "won_deals",
)
"""The facts read from a first month on (the others are read from the first row on)."""
RANGED_TABLES = frozenset({"ops_uptime", "pipeline_winrate"})
"""Tables whose rate warnings come from a ranged read (a narrower read would not raise them)."""


@dataclass(slots=True)
class Kept:
    """Facts read on one connection up to `end_month`, the ranged ones from `first` on."""

    conn: sa.Connection
    end_month: dt.date
    first: dt.date
    facts: Facts
    warnings: list[DataQualityWarning]


_KEPT: ContextVar[list[Kept] | None] = ContextVar("execdash_shared_facts", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """Keep the facts read inside this block for the rest of it (one answer's reads)."""
    token = _KEPT.set([])
    try:
        yield
    finally:
        _KEPT.reset(token)


def find(conn: sa.Connection, end_month: dt.date, first: dt.date) -> Kept | None:
    """Kept facts of `conn` up to `end_month` reaching back to `first`, or None."""
    for kept in _KEPT.get() or ():
        if kept.conn is conn and kept.end_month == end_month and kept.first <= first:
            return kept
    return None


def keep(
    conn: sa.Connection,
    end_month: dt.date,
    first: dt.date,
    facts: Facts,
    warnings: list[DataQualityWarning],
) -> Kept:
    """Facts just read, kept for later calls when sharing."""
    kept = Kept(conn, end_month, first, facts, warnings)
    shared = _KEPT.get()
    if shared is not None:
        shared.append(kept)
    return kept


def narrowed(kept: Kept, first: dt.date) -> tuple[Facts, list[DataQualityWarning]]:
    """The kept facts and warnings as a read from `first` on would have given them."""
    if first <= kept.first:
        return replace(kept.facts, new_mrr=dict(kept.facts.new_mrr)), list(kept.warnings)
    cut = month_key(first)
    months = {
        name: {m: v for m, v in getattr(kept.facts, name).items() if m >= first} for name in RANGED
    }
    facts = replace(kept.facts, new_mrr=dict(kept.facts.new_mrr), **months)
    warnings = [
        w
        for w in kept.warnings
        if w.table not in RANGED_TABLES or (w.period is not None and w.period >= cut)
    ]
    return facts, warnings
