"""Per-table data versions: one counter per data table, bumped by every write to it.

Triggers (`db.triggers`) bump a seed table's counter whatever program writes it;
`record_data_change` bumps the tables execdash names, triggers or not (a counter only has to
move, never by exactly one). An answer's version is the versions of the tables it reads, so a
write to one table leaves every answer that does not read it valid. `data_version` is the sum,
which only ever grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from execdash.db.tables import data_versions
from execdash.memo import kept

V = data_versions


def read_all(conn: sa.Connection) -> dict[str, int]:
    """Every table's version."""
    return {str(n): int(v) for n, v in conn.execute(sa.select(V.c.name, V.c.version))}


def of(conn: sa.Connection, tables: Iterable[str]) -> dict[str, int]:
    """The versions of `tables` (0 for a table never written)."""
    names = sorted(set(tables))
    found = dict(conn.execute(sa.select(V.c.name, V.c.version).where(V.c.name.in_(names))).all())
    return {n: int(found.get(n, 0)) for n in names}


def total(conn: sa.Connection, tables: Iterable[str] | None = None) -> int:
    """The sum of the versions of `tables` (all tables when None): grows with every write."""
    query = sa.select(sa.func.coalesce(sa.func.sum(V.c.version), 0))
    if tables is not None:
        query = query.where(V.c.name.in_(sorted(set(tables))))
    return int(conn.execute(query).scalar_one())


def last_change(conn: sa.Connection, tables: Iterable[str] | None = None) -> dt.datetime | None:
    """When one of `tables` (any table when None) last changed, in UTC, or None if never."""
    if tables is None:
        value = conn.execute(_last_change_query(False)).scalar_one_or_none()
    else:
        names = {"names": sorted(set(tables))}
        value = conn.execute(_last_change_query(True), names).scalar_one_or_none()
    if value is None:
        return None
    if isinstance(value, str):  # a trigger's CURRENT_TIMESTAMP read back by a plain select
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@kept(2)
def _last_change_query(named: bool) -> sa.Select[dt.datetime]:
    """The select of `last_change`, built once; with `named`, the table names are bound."""
    query = sa.select(sa.func.max(V.c.changed_at))
    return query.where(V.c.name.in_(sa.bindparam("names", expanding=True))) if named else query


def bump(conn: sa.Connection, tables: Iterable[str] | None) -> None:
    """Move the versions of `tables` (every table when None), in the caller's transaction."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    values = {"version": V.c.version + 1, "changed_at": now}
    if tables is None:
        conn.execute(V.update().values(**values))
        return
    for name in sorted(set(tables)):  # one order, so concurrent writers never deadlock here
        if conn.execute(V.update().where(V.c.name == name).values(**values)).rowcount == 0:
            conn.execute(V.insert().values(name=name, version=1, changed_at=now))
