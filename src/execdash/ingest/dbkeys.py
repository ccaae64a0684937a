"""Primary keys already in the database, in the representation pass one produces.

Big tables have integer ids and are never fetched whole: a chunk of ids is checked against the
table's largest id and, for ids not above it, with one indexed `IN` query per few hundred ids.
Tables with other keys (months, names, dates with stage names) are small and fetched once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from execdash.db import schema
from execdash.ingest.columns import TableSpec
from execdash.ingest.keys import IntKeySet, KeyLookup, PlainKeys

IN_LIST = 500
"""Ids per `IN (...)` query: well below SQLite's and PostgreSQL's bound-parameter limits."""


def _plain(value: object) -> object:
    """A database key value in the form pass one produces (dates as ISO text)."""
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    return value


class SerialKeys:
    """The integer ids of one table, asked per chunk with SQL on the caller's connection.

    Ids found are remembered (as bits), so a parent key that many chunks refer to, such as a
    customer with many orders, is asked for once.
    """

    __slots__ = ("_column", "_conn", "_known", "_largest")

    def __init__(self, conn: sa.Connection, table: str) -> None:
        self._conn = conn
        self._column = schema.metadata.tables[table].c.id
        self._largest: int | None = None
        self._known = IntKeySet()

    def largest(self) -> int | None:
        """The table's largest id (None when empty), read once."""
        if self._largest is None:
            self._largest = self._conn.execute(sa.select(sa.func.max(self._column))).scalar()
            if self._largest is None:
                self._largest = -(2**63) - 1  # below every 64-bit id: nothing can clash
        return self._largest

    def present(self, keys: Iterable[object]) -> set[object]:
        """The subset of `keys` that are ids in the table."""
        largest = self.largest()
        assert largest is not None
        candidates = {k for k in keys if isinstance(k, int) and k <= largest}
        found = self._known.present(candidates)
        wanted = sorted(candidates - found)
        for start in range(0, len(wanted), IN_LIST):
            part = wanted[start : start + IN_LIST]
            query = sa.select(self._column).where(self._column.in_(part))
            hits = list(self._conn.execute(query).scalars())
            self._known.update(hits)
            found.update(hits)
        return found

    def __contains__(self, key: object) -> bool:
        return bool(self.present([key]))


def existing_keys(conn: sa.Connection, spec: TableSpec) -> KeyLookup:
    """Primary keys already in `spec`'s table: asked per chunk for ids, fetched for the rest."""
    if spec.serial_id:
        return SerialKeys(conn, spec.name)
    table = schema.metadata.tables[spec.name]
    cols = [table.c[k] for k in spec.primary_key]
    result = conn.execute(sa.select(*cols))
    if len(cols) == 1:
        return PlainKeys(_plain(row[0]) for row in result)
    return PlainKeys(tuple(_plain(v) for v in row) for row in result)
