"""Flags kept in `execdash_app_meta`: whether a derived table is filled and maintained.

A derived table (running totals, label sums, MRR movements) is read only once a rebuild that
marks it has filled it; these two functions write and read such a mark, one row per key.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import read_once
from execdash.db import tables as t

META = t.app_meta


def put(conn: sa.Connection, key: str, value: str = "1") -> None:
    """Set `key` to `value`, adding the row the first time."""
    if not conn.execute(META.update().where(META.c.key == key).values(value=value)).rowcount:
        conn.execute(META.insert().values(key=key, value=value))


def is_set(conn: sa.Connection, key: str) -> bool:
    """True when `key` holds "1" (read once per snapshot, `db.snapshot`)."""
    query = sa.select(META.c.value).where(META.c.key == key)
    return read_once.once(conn, ("meta", key), lambda: conn.execute(query).scalar()) == "1"
