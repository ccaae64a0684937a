"""Pass two: write validated rows by chunked executemany, or by one COPY on PostgreSQL.

Runs on the raw DBAPI connection of the caller's SQLAlchemy transaction, so the rows, the import
log and the data-version bump commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from execdash.db import schema
from execdash.ingest.columns import TableSpec
from execdash.ingest.store import Row
from execdash.ingest.validate import Batch

Finisher = Callable[[Any], Any]
SQLITE_CACHE_KIB = 16_384
"""SQLite page cache during a load: index pages of a big table stay cached between inserts."""


def _finishers(batch: Batch, dialect: sa.Dialect) -> dict[int, Finisher]:
    """Per-column conversions pass one left for later: rate scale and dialect date types."""
    found: dict[int, Finisher] = {}
    sqlite = dialect.name == "sqlite"
    for i, name in enumerate(batch.columns):
        kind = batch.spec.column(name).kind
        if i in batch.divisors:
            found[i] = _divide_by(batch.divisors[i])
        elif kind == "date" and not sqlite:
            found[i] = dt.date.fromisoformat
        elif kind == "datetime":
            if sqlite:
                process = sa.DateTime().dialect_impl(dialect).bind_processor(dialect)
                assert process is not None
                found[i] = _stored_datetime(process)
            else:
                found[i] = dt.datetime.fromisoformat
    return found


def _divide_by(divisor: float) -> Finisher:
    return lambda value: value / divisor


def _stored_datetime(process: Callable[[Any], Any]) -> Finisher:
    """ISO text to the exact text SQLAlchemy stores for a DateTime on SQLite."""
    return lambda value: process(dt.datetime.fromisoformat(value))


def insert_sql(spec: TableSpec, columns: list[str], mode: str, dialect: sa.Dialect) -> str:
    """INSERT (or upsert by primary key) for `columns`; identifiers come from the schema only."""
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    cols = ", ".join(quote(c) for c in columns)
    sql = f"INSERT INTO {quote(spec.name)} ({cols}) VALUES ({', '.join([marker] * len(columns))})"
    if mode == "upsert":
        keys = ", ".join(quote(k) for k in spec.primary_key)
        others = [c for c in columns if c not in spec.primary_key]
        if others:
            sets = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in others)
            sql += f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
        else:
            sql += f" ON CONFLICT ({keys}) DO NOTHING"
    return sql


def _finish(rows: list[Row], finishers: dict[int, Finisher]) -> list[Row]:
    """Apply the pass-two conversions column by column (None stays None)."""
    columns: list[Any] = list(zip(*rows, strict=True))
    for i, finish in finishers.items():
        columns[i] = [None if v is None else finish(v) for v in columns[i]]
    return list(zip(*columns, strict=True))


@contextmanager
def _big_cache(cursor: Any, dialect: sa.Dialect) -> Iterator[None]:
    """On SQLite, enlarge the connection's page cache for the load and restore it after."""
    if dialect.name != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    (before,) = cursor.fetchone()
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")


def copy_sql(spec: TableSpec, columns: list[str], dialect: sa.Dialect) -> str:
    """PostgreSQL `COPY ... FROM STDIN` for `columns`; identifiers come from the schema only."""
    quote = dialect.identifier_preparer.quote
    return f"COPY {quote(spec.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def load(
    conn: sa.Connection, batch: Batch, mode: str, tick: Callable[[int], None] | None = None
) -> int:
    """Insert or upsert the batch's rows inside `conn`'s transaction; return rows written."""
    dialect = conn.dialect
    finishers = _finishers(batch, dialect)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    written = 0

    def chunks() -> Iterator[list[Row]]:
        nonlocal written
        for rows in batch.rows.chunks():
            yield _finish(rows, finishers) if finishers else rows
            written += len(rows)
            if tick is not None:
                tick(written)

    try:
        if dialect.name == "postgresql" and mode != "upsert":
            # COPY streams every row in one statement: several times faster than INSERTs.
            with cursor.copy(copy_sql(batch.spec, batch.columns, dialect)) as copy:
                for rows in chunks():
                    for row in rows:
                        copy.write_row(row)
        else:
            sql = insert_sql(batch.spec, batch.columns, mode, dialect)
            with _big_cache(cursor, dialect):
                for rows in chunks():
                    cursor.executemany(sql, rows)
    finally:
        cursor.close()
    return written


BULK_ROWS = 100_000
"""From this many incoming rows, SQLite indexes are rebuilt after the load instead of per row."""


@contextmanager
def deferred_indexes(conn: sa.Connection, table: str, incoming: int) -> Iterator[None]:
    """On SQLite, drop `table`'s secondary indexes for a bulk load and rebuild them afterwards.

    Building an index once from sorted data is about twice as fast as inserting a million rows
    into it one by one. Only when the load is big relative to the table, and only on SQLite,
    where the writer holds the database anyway and readers keep their snapshot until commit.
    """
    indexes = list(schema.metadata.tables[table].indexes)
    bulk = conn.dialect.name == "sqlite" and indexes and incoming >= BULK_ROWS
    if bulk:
        # Counting stops at `incoming` rows: a 10-million-row table is not scanned to learn that
        # it is bigger than the file.
        some = sa.select(sa.literal(1)).select_from(schema.metadata.tables[table]).limit(incoming)
        existing = conn.execute(
            sa.select(sa.func.count()).select_from(some.subquery())
        ).scalar_one()
        bulk = incoming > existing
    if bulk:
        for index in indexes:
            index.drop(conn)
    yield
    if bulk:
        for index in indexes:
            index.create(conn)


def delete_all(conn: sa.Connection, table: str) -> None:
    """Empty `table` (replace mode)."""
    conn.execute(schema.metadata.tables[table].delete())


def advance_sequence(conn: sa.Connection, spec: TableSpec) -> None:
    """On PostgreSQL, move an id column's sequence past the largest id so later inserts work."""
    if conn.dialect.name != "postgresql" or not spec.serial_id:
        return
    table = conn.dialect.identifier_preparer.quote(spec.name)
    conn.execute(
        sa.text(
            "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ),
        {"table": spec.name},
    )
