"""Every write to the data goes through `record_data_change`, so caches and derived tables follow.

Each data table has a version (`db.versions`); an answer's version is the versions of the tables
it reads, and the API's ETags and response cache are keyed by it. Writes by other programs are
seen through triggers (`db.triggers`) that bump the versions and mark rollup periods stale;
`catch_up` recomputes those periods (the read path calls it when it sees marks), and
`record_data_change` consumes the marks of its own transaction, so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

import sqlalchemy as sa

from execdash.db import catchup, label_totals, rollups, versions
from execdash.db import schema as s
from execdash.db.rollup_catalog import ROLLUPS

log = logging.getLogger("execdash.db.changes")

ChangeHook = Callable[[sa.Connection, frozenset[str] | None], None]
"""Called after every data change, in the writer's transaction, with the tables that changed
(None: any table). Higher layers pass theirs down with `add_change_hook` (db imports none)."""
_hooks: dict[ChangeHook, frozenset[str] | None] = {}

DERIVED_TABLES_LOCK = catchup.LOCK_KEY  # the advisory lock every writer of derived tables takes
MATERIALISED = frozenset({s.timeframe_window.name, s.executive_kpis.name})
"""Seed tables execdash itself rewrites after a change (see `metrics.materialise`)."""


def data_version(conn: sa.Connection, tables: Iterable[str] | None = None) -> int:
    """The version of `tables` (all data when None): a number that grows with every write."""
    return versions.total(conn, tables)


def last_data_update(
    conn: sa.Connection, tables: Iterable[str] | None = None
) -> dt.datetime | None:
    """When `tables` (any data when None) last changed, by any program (UTC), or None."""
    return versions.last_change(conn, tables)


def _covered(changed: set[str], hints: dict[str, rollups.Hint] | None) -> catchup.Covered:
    """Per rollup, what `rollups.refresh` recomputed from raw rows for these hints."""
    covered: catchup.Covered = {}
    for rollup in ROLLUPS:
        if rollup.source.name not in changed:
            continue
        hint = (hints or {}).get(rollup.source.name)
        if hint is None:
            covered[rollup.target.name] = None
        elif isinstance(hint, tuple):
            n = rollup.key_length
            covered[rollup.target.name] = (hint[0].isoformat()[:n], hint[1].isoformat()[:n])
    return covered


def _rematerialise(conn: sa.Connection, changed: set[str] | None) -> None:
    """Rewrite the materialised KPI tables when `changed` (None: anything) can move a KPI."""
    from execdash.metrics import materialise  # metrics imports db; import here to avoid a cycle

    if changed is None or materialise.needs_refresh(changed):
        materialise.refresh(conn)
        catchup.forget_tables(conn, set(MATERIALISED))


def add_change_hook(hook: ChangeHook, tables: Iterable[str] | None = None) -> None:
    """Run `hook` after every data change in this process that touches `tables` (None: every
    change); adding it twice runs it once. A change to none of its tables, such as a usage
    event for the alert rules, costs the hook nothing, not even its savepoint."""
    _hooks[hook] = None if tables is None else frozenset(tables)


def remove_change_hook(hook: ChangeHook) -> None:
    """Stop running `hook` after data changes."""
    _hooks.pop(hook, None)


def _run_hooks(conn: sa.Connection, changed: set[str] | None) -> None:
    """Run every hook concerned by `changed` in a savepoint of its own: a hook that fails is
    logged and undone, and never fails the data change."""
    tables = frozenset(changed) if changed is not None else None
    for hook, wanted in list(_hooks.items()):
        if tables is not None and wanted is not None and not tables & wanted:
            continue
        try:
            with conn.begin_nested():
                hook(conn, tables)
        except Exception:
            log.exception("After-change hook %s failed; the data change is kept", hook)


def lock_derived_tables(conn: sa.Connection) -> None:
    """Wait until no other transaction is rewriting derived tables; held until commit/rollback.

    Every writer takes this one lock before the first rollup or materialised table it touches
    (catch-ups too, without waiting), so on PostgreSQL the derived tables are always locked in the
    same order and two writers (the server and an import) can never deadlock on them. On SQLite
    the write transaction already holds the database's only write lock (BEGIN IMMEDIATE).
    """
    catchup.lock(conn, wait=True)


def _feeds_derived(named: set[str]) -> bool:
    """True when a change to `named` (all tables when empty) must rewrite a rollup or a
    materialised KPI table in its own transaction."""
    from execdash.metrics import materialise  # metrics imports db; import here to avoid a cycle

    if not named:
        return True
    return any(r.source.name in named for r in ROLLUPS) or materialise.needs_refresh(named)


def record_data_change(
    conn: sa.Connection,
    tables: Iterable[str] = (),
    hints: dict[str, rollups.Hint] | None = None,
    *,
    wait: bool = True,
) -> int:
    """Bump the versions of `tables` (all when empty) in the caller's transaction; return the
    data version.

    The rollups of changed raw tables are refreshed first (incrementally when `hints` says, per
    table, which dates changed or that rows were only appended; see `rollups.refresh`), then any
    period the triggers marked stale and the refresh did not cover. When the change can move an
    executive KPI, the materialised tables (`timeframe_window`, `executive_kpis`) are rewritten in
    the same transaction, so they never disagree with the API.

    A change that feeds no derived table (an alert acknowledged, a risk edited) never waits for
    the derived tables' lock, and neither does one made with `wait=False` (a usage event): when
    another transaction, such as an import, holds that lock, the change only bumps versions and
    leaves its stale marks (written by the triggers) to the next catch-up, whose answers from the
    raw rows meanwhile are the same. So small writes never queue behind an import on PostgreSQL.
    """
    named = set(tables)
    must_wait = wait and _feeds_derived(named)
    if not catchup.lock(conn, wait=must_wait):
        versions.bump(conn, named)
        return versions.total(conn)
    rollups.refresh(conn, named, hints)
    changed = named | catchup.apply(conn, _covered(named, hints))
    label_totals.follow(conn, changed)
    versions.bump(conn, changed if named else None)
    _rematerialise(conn, changed if named else None)
    _run_hooks(conn, changed if named else None)
    return versions.total(conn)


def catch_up(conn: sa.Connection) -> bool:
    """Apply what other programs' writes left stale, if no other catch-up is running; True when
    something was done. Versions are not bumped: the triggers did when the data changed."""
    if not catchup.lock(conn, wait=False) or not catchup.has_pending(conn):
        return False
    changed = catchup.apply(conn)
    label_totals.follow(conn, changed)
    if changed - MATERIALISED:
        _rematerialise(conn, changed)
        _run_hooks(conn, changed)
    return True
