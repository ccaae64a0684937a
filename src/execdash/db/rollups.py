"""Rollup tables: monthly/daily aggregates of the large raw tables, so KPIs never scan raw rows.

Each rollup (declared in `rollup_catalog`) is one GROUP BY over one raw table. `refresh`
(called by `record_data_change` with the names of the changed tables) recomputes only the
rollups whose source changed, in the writer's transaction; given the changed date range it
recomputes only those periods, using the date index of the raw table. `rebuild_all`
recomputes everything (`execdash refresh --full`). Period keys come from
`substr(CAST(col AS TEXT), 1, n)`, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.db import cohorts, cumulative, label_totals, meta_keys, mrr_moves, read_once, upsert
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.rollup_catalog import ROLLUPS, SOURCES, Rollup, by_target
from execdash.memo import kept

__all__ = ["ROLLUPS", "SOURCES", "Appended", "Hint", "Rollup", "by_target"]

Where = Callable[[sa.ColumnElement[object]], sa.ColumnElement[bool]]


def _write(
    conn: sa.Connection,
    rollup: Rollup,
    where: Where | None,
    period: Where | None,
    *,
    from_raw: bool = False,
) -> None:
    """Delete the rollup's rows in scope, insert them again from the raw table (or from its base
    rollup, already up to date for the same periods)."""
    target = rollup.target
    delete = target.delete()
    if period is not None:
        delete = delete.where(period(target.c[rollup.period_column]))
    conn.execute(delete)
    if rollup.base is not None and rollup.derive is not None and not from_raw:
        select = rollup.derive()
        if period is not None:
            select = select.where(period(rollup.base.c[rollup.period_column]))
    else:
        select = rollup.build(rollup.key())
        if where is not None:
            select = select.where(where(rollup.source.c[rollup.date_column]))
    names = [c.name for c in target.columns]
    conn.execute(target.insert().from_select(names, select))


def _rows(conn: sa.Connection, rollup: Rollup) -> int:
    """How many rows the rollup holds (what a full rebuild reports)."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(rollup.target)).scalar_one())


def _ready_key(rollup: Rollup) -> str:
    return _key_of(rollup.target.name)


def _key_of(target: str) -> str:
    return f"rollup_ready:{target}"


def is_ready(conn: sa.Connection, rollup: Rollup) -> bool:
    """True once the rollup was fully rebuilt by execdash and maintained since, so reads may use it.

    A database written only by other tools (or a test inserting raw rows) never has the mark, so
    readers fall back to the raw tables and stay correct. Nor is a rollup with periods that
    another program's writes left stale (`db.catchup`): readers use the raw rows until then.
    """
    name = rollup.target.name
    found = read_once.once(
        conn, ("ready", name), lambda: conn.execute(_ready_query(name)).scalar_one_or_none()
    )
    return found == "1"


@kept(32)
def _ready_query(target: str) -> sa.Select[str]:
    """The select of `is_ready` for one rollup, built once (it runs on most reads)."""
    pending = sa.select(t.stale.c.target).where(t.stale.c.target == target)
    return sa.select(t.app_meta.c.value).where(
        t.app_meta.c.key == _key_of(target), ~pending.exists()
    )


def has_ready_mark(conn: sa.Connection, rollup: Rollup) -> bool:
    """True once the rollup was fully rebuilt by execdash, stale periods or not."""
    found = conn.execute(
        sa.select(t.app_meta.c.value).where(t.app_meta.c.key == _ready_key(rollup))
    ).scalar_one_or_none()
    return found == "1"


def _mark_ready(conn: sa.Connection, rollup: Rollup) -> None:
    meta_keys.put(conn, _ready_key(rollup))


def fill(conn: sa.Connection, rollup: Rollup) -> int:
    """Recompute one rollup table from its raw table alone (no base rollup, no cohorts, no ready
    mark): what migrations use, since later tables may not exist yet."""
    _write(conn, rollup, None, None, from_raw=True)
    return _rows(conn, rollup)


def rebuild(conn: sa.Connection, rollup: Rollup, *, mark: bool = True) -> int:
    """Recompute every row of one rollup from its raw table; return the rows written.

    With `mark`, the rollup is flagged ready for readers (`is_ready`).
    """
    _write(conn, rollup, None, None)
    written = _rows(conn, rollup)
    conn.execute(t.stale.delete().where(t.stale.c.target == rollup.target.name))  # all redone
    if rollup.target is cohorts.MRR:
        cohorts.rebuild(conn)
        mrr_moves.rebuild(conn, mark=mark)
    if rollup.target is cumulative.BASE:
        cumulative.rebuild(conn, mark=mark)
        label_totals.rebuild(conn, mark=mark)
    if mark:
        _mark_ready(conn, rollup)
    return written


def _bounds(rollup: Rollup, first: dt.date, last: dt.date) -> tuple[object, object, str, str]:
    """Raw-column bounds [lo, hi) and period-key bounds covering the periods of first…last."""
    if rollup.key_length == 7:
        lo_day = first.replace(day=1)
        hi_day = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        keys = (lo_day.isoformat()[:7], last.isoformat()[:7])
    else:
        lo_day, hi_day = first, last + dt.timedelta(days=1)
        keys = (first.isoformat(), last.isoformat())
    if isinstance(rollup.source.c[rollup.date_column].type, sa.DateTime):
        lo: object = dt.datetime.combine(lo_day, dt.time())
        hi: object = dt.datetime.combine(hi_day, dt.time())
    else:
        lo, hi = lo_day, hi_day
    return lo, hi, keys[0], keys[1]


def refresh_range(conn: sa.Connection, rollup: Rollup, first: dt.date, last: dt.date) -> None:
    """Recompute only the periods of one rollup that hold dates `first…last` (index range scan)."""
    lo, hi, key_lo, key_hi = _bounds(rollup, first, last)

    def where(col: sa.ColumnElement[object]) -> sa.ColumnElement[bool]:
        return sa.and_(col >= lo, col < hi)

    def period(col: sa.ColumnElement[object]) -> sa.ColumnElement[bool]:
        return sa.and_(col >= key_lo, col <= key_hi)

    _write(conn, rollup, where, period)
    if rollup.target is cohorts.MRR:  # a first order may have moved or gone: recompute them all
        cohorts.rebuild(conn)
        mrr_moves.refresh_from(conn, key_lo)  # the bridges of those months and every later one
    if rollup.target is cumulative.BASE:  # running totals change from the first month on
        cumulative.refresh_from(conn, key_lo)
        label_totals.refresh_from(conn, key_lo)


def refresh(
    conn: sa.Connection,
    tables: Iterable[str],
    hints: dict[str, Hint] | None = None,
) -> list[str]:
    """Bring the rollups of changed `tables` up to date; return the names of those refreshed.

    `hints` may say, per raw table, what changed: a `(first, last)` date span covering every
    date a changed row had before or after the change (only those periods are recomputed), or
    `Appended` (the new rows are added to the sums; a rollup summed from a base rollup is
    recomputed from it for the months the new rows fall in). Without a hint it is rebuilt.
    """
    changed = set(tables) & SOURCES
    done: list[str] = []
    for rollup in ROLLUPS:
        name = rollup.source.name
        if name not in changed:
            continue
        hint = (hints or {}).get(name)
        if isinstance(hint, Appended) and rollup.base is not None:
            try:
                span = _appended_span(conn, rollup, hint.after_id)
            except ValueError:  # a date only the raw GROUP BY can make sense of
                rebuild(conn, rollup)
            else:
                if span is not None:
                    refresh_range(conn, rollup, span[0], span[1])
        elif hint is None:
            rebuild(conn, rollup)
        elif isinstance(hint, Appended):
            _add_appended_rows(conn, rollup, hint.after_id)
        else:
            refresh_range(conn, rollup, hint[0], hint[1])
        done.append(rollup.target.name)
    return done


def _add_appended_rows(conn: sa.Connection, rollup: Rollup, after_id: int) -> None:
    """`add_appended`, then the running totals from the first month the new rows fall in."""
    if rollup.target is not cumulative.BASE:
        add_appended(conn, rollup, after_id)
        return
    try:
        span = _appended_span(conn, rollup, after_id)
    except ValueError:  # a date only the raw GROUP BY can make sense of
        rebuild(conn, rollup)
        return
    add_appended(conn, rollup, after_id)
    if span is not None:
        cumulative.refresh_from(conn, span[0].isoformat()[:7])
        label_totals.refresh_from(conn, span[0].isoformat()[:7])


def _appended_span(
    conn: sa.Connection, rollup: Rollup, after_id: int
) -> tuple[dt.date, dt.date] | None:
    """First and last date of the rows above `after_id` (a primary-key range, no sort)."""
    column = rollup.source.c[rollup.date_column]
    source = rollup.source
    lo, hi = conn.execute(
        sa.select(sa.func.min(column), sa.func.max(column)).where(source.c.id > after_id)
    ).one()
    if lo is None or hi is None:
        return None
    return _as_date(lo), _as_date(hi)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def rebuild_all(conn: sa.Connection, *, mark: bool = True) -> dict[str, int]:
    """Recompute every rollup from the raw tables (`execdash refresh --full`); rows per rollup."""
    return {r.target.name: rebuild(conn, r, mark=mark) for r in ROLLUPS}


def snapshot(conn: sa.Connection, rollup: Rollup) -> list[tuple[object, ...]]:
    """The rollup's rows, sorted by key: what tests and the benchmark compare."""
    target = rollup.target
    keys = [c for c in target.columns if c.primary_key]
    return [tuple(row) for row in conn.execute(sa.select(target).order_by(*keys))]


def recompute(conn: sa.Connection, rollup: Rollup) -> list[tuple[object, ...]]:
    """What the rollup's rows would be if rebuilt now, without writing: the reference answer."""
    select = rollup.build(rollup.key())
    sub = select.subquery()
    cols = list(sub.columns)
    nkeys = len([c for c in rollup.target.columns if c.primary_key])
    return [tuple(row) for row in conn.execute(sa.select(sub).order_by(*cols[:nkeys]))]


def append_marks(conn: sa.Connection, tables: Iterable[str]) -> dict[str, int]:
    """Largest id of each rollup source table, taken before an append-only load."""
    marks: dict[str, int] = {}
    for name in set(tables) & SOURCES:
        table = s.metadata.tables[name]
        if "id" not in table.c:  # keyed by date (daily tables): small, rebuilt instead
            continue
        marks[name] = int(conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0)
    return marks


@dataclass(frozen=True)
class Appended:
    """A change that only appended rows, all with ids above `after_id`: add them to the sums."""

    after_id: int


Hint = tuple[dt.date, dt.date] | Appended
"""What changed in one table: a date span to recompute, or rows appended above an id."""


def appended(conn: sa.Connection, marks: dict[str, int], loaded: dict[str, int]) -> dict[str, Hint]:
    """`Appended` hints for tables whose `loaded` new rows all lie above their mark.

    A table is left out (so its rollups are rebuilt) unless exactly `loaded[table]` rows lie
    above its mark: appended rows with smaller explicit ids would otherwise be missed.
    """
    hints: dict[str, Hint] = {}
    for name, mark in marks.items():
        table = s.metadata.tables[name]
        count = conn.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.id > mark)
        ).scalar_one()
        if count == loaded.get(name):
            hints[name] = Appended(mark)
    return hints


def add_appended(conn: sa.Connection, rollup: Rollup, after_id: int) -> int:
    """Add the aggregates of rows with id > `after_id` to the rollup; return the groups touched.

    Reads only the new rows (a primary-key range), so the cost follows the size of the import,
    not of the table. Counts and sums are additive, so one INSERT … SELECT … ON CONFLICT that
    adds to existing groups and creates the new ones equals a recompute.
    """
    target = rollup.target
    select = rollup.build(rollup.key()).where(rollup.source.c.id > after_id)
    keys = [c.name for c in target.columns if c.primary_key]
    values = [c.name for c in target.columns if not c.primary_key]
    insert = upsert.insert(conn, target)
    statement = insert.from_select(keys + values, select).on_conflict_do_update(
        index_elements=keys, set_={v: target.c[v] + insert.excluded[v] for v in values}
    )
    return int(conn.execute(statement).rowcount)
