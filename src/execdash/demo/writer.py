"""Fast bulk writes of pre-built tuples: `executemany` on SQLite, `COPY` on PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from execdash.db.schema import SEED_TABLES, metadata

Row = tuple[Any, ...]


class BulkWriter:
    """Writes rows into seed tables through the raw DBAPI connection of `conn`'s transaction."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn
        self._raw: Any = conn.connection.driver_connection
        self._postgres = conn.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    @contextlib.contextmanager
    def large_cache(self, mebibytes: int = 256) -> Iterator[None]:
        """On SQLite, give this connection a big page cache for the load, then restore it."""
        if self._postgres:
            yield
            return
        cursor = self._raw.cursor()
        (before,) = cursor.execute("PRAGMA cache_size").fetchone()
        cursor.execute(f"PRAGMA cache_size={-1024 * int(mebibytes)}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size={int(before)}")
            cursor.close()

    @property
    def connection(self) -> sa.Connection:
        """The SQLAlchemy connection whose transaction the writes join."""
        return self._conn

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
        """Insert `rows` (tuples in `columns` order) into `table`; return how many were written."""
        if table not in SEED_TABLES:
            raise ValueError(f"{table!r} is not a seed table")
        known = metadata.tables[table].c
        for column in columns:
            if column not in known:
                raise ValueError(f"{table!r} has no column {column!r}")
        names = ", ".join(columns)
        batch = rows if isinstance(rows, list) else list(rows)
        if self._postgres:
            with (
                self._raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor = self._raw.cursor()
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
            cursor.close()
        self.counts[table] = self.counts.get(table, 0) + len(batch)
        return len(batch)

    def sync_sequence(self, table: str) -> None:
        """After explicit ids on PostgreSQL, move the id sequence past the largest id."""
        if not self._postgres:
            return
        self._conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ),
            {"t": table},
        )
