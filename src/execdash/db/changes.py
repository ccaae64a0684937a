"""Every write to the data goes through `record_data_change`, so caches and derived tables follow.

The data version is a counter in `app_meta`; it is the API's ETag and the response cache key, so
bumping it inside the writer's transaction makes readers see new data and new tags together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db.tables import app_meta

DATA_VERSION = "data_version"
LAST_DATA_UPDATE = "last_data_update"
DERIVED_TABLES_LOCK = 0x65786563  # "exec": the advisory lock every writer of derived tables takes


def data_version(conn: sa.Connection) -> int:
    """The current data version (0 for a database nobody has written through execdash)."""
    value = conn.execute(
        sa.select(app_meta.c.value).where(app_meta.c.key == DATA_VERSION)
    ).scalar_one_or_none()
    return int(value) if value is not None else 0


def last_data_update(conn: sa.Connection) -> dt.datetime | None:
    """When data last changed through execdash (UTC), or None if never."""
    value = conn.execute(
        sa.select(app_meta.c.value).where(app_meta.c.key == LAST_DATA_UPDATE)
    ).scalar_one_or_none()
    return dt.datetime.fromisoformat(value) if value else None


def _put(conn: sa.Connection, key: str, value: str) -> None:
    updated = conn.execute(app_meta.update().where(app_meta.c.key == key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(app_meta.insert().values(key=key, value=value))


def lock_derived_tables(conn: sa.Connection) -> None:
    """Wait until no other transaction is rewriting derived tables; held until commit/rollback.

    Every writer takes this one lock before the first rollup, materialised table or version row
    it touches, so on PostgreSQL the derived tables are always locked in the same order and two
    writers (the server and an import) can never deadlock on them. On SQLite the write
    transaction already holds the database's only write lock (BEGIN IMMEDIATE).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(DERIVED_TABLES_LOCK)))


def record_data_change(
    conn: sa.Connection,
    tables: Iterable[str] = (),
    hints: dict[str, rollups.Hint] | None = None,
) -> int:
    """Bump the data version after `tables` changed, in the caller's transaction; return it.

    The rollups of changed raw tables are refreshed first (incrementally when `hints` says, per
    table, which dates changed or that rows were only appended; see `rollups.refresh`). When
    the change can move an executive KPI, the materialised tables (`timeframe_window`,
    `executive_kpis`) are rewritten in the same transaction, so they never disagree with the API.
    """
    from execdash.metrics import materialise  # metrics imports db; import here to avoid a cycle

    changed = set(tables)
    lock_derived_tables(conn)
    rollups.refresh(conn, changed, hints)
    if materialise.needs_refresh(changed):
        materialise.refresh(conn)
    version = data_version(conn) + 1
    _put(conn, DATA_VERSION, str(version))
    _put(conn, LAST_DATA_UPDATE, dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    return version
