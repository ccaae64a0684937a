"""Recompute the rollup periods that writes by other programs (or this transaction) left stale.

The triggers of `db.triggers` record in `stale` which periods of which rollups changed, and which
seed tables changed. `apply` recomputes those periods from the raw rows (the whole rollup when a
date was missing, unreadable, or too many separate spans changed) and deletes the marks it read.
A recompute from the raw rows is right whatever the rollup held, so applying a mark twice, or after
an incremental update by `rollups.refresh`, never counts anything twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db import schema as s
from execdash.db.rollup_catalog import ROLLUPS, Rollup
from execdash.db.tables import stale

MAX_SPANS = 24
"""More separate runs of stale periods than this and the whole rollup is rebuilt instead."""
LOCK_KEY = 0x65786563  # "exec"
"""PostgreSQL advisory lock every writer of derived tables takes (`changes.lock_derived_tables`),
catch-ups included, so they never rewrite the same rollup rows at once."""

Covered = dict[str, tuple[str, str] | None]
"""Per rollup, the period keys a refresh in this transaction already recomputed (None = all)."""


def pending(conn: sa.Connection) -> dict[str, set[str]]:
    """Every mark: target (rollup or seed table) -> periods."""
    marks: dict[str, set[str]] = defaultdict(set)
    for target, period in conn.execute(sa.select(stale.c.target, stale.c.period)):
        marks[str(target)].add(str(period))
    return dict(marks)


def has_pending(conn: sa.Connection) -> bool:
    """True when some mark waits (one indexed probe)."""
    return conn.execute(sa.select(stale.c.target).limit(1)).first() is not None


def lock(conn: sa.Connection, *, wait: bool) -> bool:
    """Serialise with other catch-ups on PostgreSQL (SQLite writers are serial already).

    With `wait=False`, returns False at once when another transaction holds the lock.
    """
    if conn.dialect.name != "postgresql":
        return True
    if wait:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        return True
    got = conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    return bool(got.scalar_one())


def _first_day(rollup: Rollup, key: str) -> dt.date:
    if rollup.key_length == 7:
        return dt.date.fromisoformat(key + "-01")
    return dt.date.fromisoformat(key)


def _next(rollup: Rollup, day: dt.date) -> dt.date:
    if rollup.key_length == 7:
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=1)


def spans(rollup: Rollup, periods: set[str]) -> list[tuple[dt.date, dt.date]] | None:
    """The stale periods as runs of consecutive days `(first, last)`, or None: rebuild it all."""
    if "*" in periods:
        return None
    try:
        starts = sorted({_first_day(rollup, p) for p in periods})
    except ValueError:
        return None
    runs: list[tuple[dt.date, dt.date]] = []
    for start in starts:
        end = _next(rollup, start) - dt.timedelta(days=1)
        if runs and runs[-1][1] + dt.timedelta(days=1) == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return None if len(runs) > MAX_SPANS else runs


def _uncovered(periods: set[str], cover: tuple[str, str]) -> set[str]:
    lo, hi = cover
    return {p for p in periods if not lo <= p <= hi}


def _forget(conn: sa.Connection, marks: dict[str, set[str]]) -> None:
    for target, periods in marks.items():
        listed = sorted(periods)
        for i in range(0, len(listed), 500):
            conn.execute(
                stale.delete().where(
                    stale.c.target == target, stale.c.period.in_(listed[i : i + 500])
                )
            )


def apply(conn: sa.Connection, covered: Covered | None = None) -> set[str]:
    """Recompute the stale periods of every rollup, delete the marks read; return the seed tables
    that changed (in this transaction or by other programs since the last catch-up)."""
    marks = pending(conn)
    if not marks:
        return set()
    covered = covered or {}
    for rollup in ROLLUPS:
        name = rollup.target.name
        periods = marks.get(name)
        if not periods or not rollups.has_ready_mark(conn, rollup):
            continue  # a rollup nobody reads yet stays as it is: readers use the raw rows
        if name in covered:
            cover = covered[name]
            if cover is None:
                continue
            periods = _uncovered(periods, cover)
            if not periods:
                continue
        runs = spans(rollup, periods)
        if runs is None:
            rollups.rebuild(conn, rollup)
            continue
        for first, last in runs:
            rollups.refresh_range(conn, rollup, first, last)
    _forget(conn, marks)
    return {target for target in marks if target in s.metadata.tables}


def forget_tables(conn: sa.Connection, tables: set[str]) -> None:
    """Delete the marks that `tables` changed (written by this transaction, nothing to redo)."""
    if tables:
        conn.execute(stale.delete().where(stale.c.target.in_(sorted(tables))))
