"""Read the data versions once per request as cheaply as possible, never a stale value.

The read layer asks for the versions on every tagged GET, so its cost is most of a cache hit. One
query returns every table's version (`db.versions`) and whether a write by another program left
rollup periods to recompute (`db.catchup`), as a `DataVersions`.
Instead of checking a connection out of the engine's pool and compiling a Core select, a probe
holds one DB-API connection of its own and runs one plain, bound SQL string on it:

- SQLite: a `sqlite3` connection in autocommit mode; each statement sees the latest commit of
  any process (WAL readers never wait for writers), and the query takes a few microseconds, so it
  runs inline on the event loop. That connection never waits (busy timeout 0): in the rare case
  SQLite says busy (WAL recovery, an exclusive lock), the read is retried in a worker thread
  with a busy timeout, so the loop is never blocked.
- PostgreSQL: a psycopg `AsyncConnection` in autocommit mode, so the event loop is never blocked
  on the network. Requests that arrive while a query is in flight share the *next* query (one
  that starts after they arrived), so 32 concurrent requests cost about two round trips, and
  none can see a version older than the data at its arrival. A broken connection is reopened
  once and the query retried.
- Anything else (an in-memory SQLite, another dialect): the engine and `db.versions`.

There is no time-based caching: a write committed by another process (`execdash import`) is
visible to the very next request.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping
from typing import Any, Protocol

import anyio
import psycopg
from sqlalchemy.engine import Engine

from execdash.db import catchup, versions
from execdash.db.tables import data_versions, stale

VERSIONS_SQL = (
    f"SELECT name, version FROM {data_versions.name} UNION ALL "
    f"SELECT '', 1 WHERE EXISTS (SELECT 1 FROM {stale.name})"
)
"""Every table's version, plus a row named '' when some rollup period waits to be recomputed."""
SQLITE_VERSION_SQL = POSTGRES_VERSION_SQL = VERSIONS_SQL
BUSY_TIMEOUT_MS = 5000
STALE = ""


class DataVersions:
    """The versions of every table at one moment, and whether a catch-up is due."""

    __slots__ = ("_rows", "_sums", "by_table", "stale")

    def __init__(self, rows: tuple[tuple[str, int], ...]) -> None:
        self._rows = rows
        self.by_table = {name: version for name, version in rows if name != STALE}
        self.stale = len(self.by_table) != len(rows)
        self._sums: dict[frozenset[str] | None, int] = {}

    def version(self, tables: frozenset[str] | None) -> int:
        """The version of an answer reading `tables` (all tables when None): their sum."""
        found = self._sums.get(tables)
        if found is None:
            values = (
                self.by_table.values()
                if tables is None
                else (self.by_table.get(t, 0) for t in tables)
            )
            found = self._sums[tables] = sum(values)
        return found

    def same_rows(self, rows: tuple[tuple[str, int], ...]) -> bool:
        """True when `rows` are what this object was read from."""
        return rows == self._rows


class _Latest:
    """Keeps one `DataVersions` per distinct read, so unchanged versions give the same object."""

    def __init__(self) -> None:
        self.value = DataVersions(())

    def of(self, rows: tuple[tuple[str, int], ...]) -> DataVersions:
        if not self.value.same_rows(rows):
            self.value = DataVersions(rows)
        return self.value


def _as_rows(fetched: list[tuple[Any, ...]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(name), int(version)) for name, version in fetched))


class VersionProbe(Protocol):
    """Something that returns the current data versions and can be closed."""

    reads: int
    """How many times it has returned versions (one per tagged request)."""

    async def read(self) -> DataVersions:
        """The data versions as committed right now."""
        ...

    async def aclose(self) -> None:
        """Release the held connection (it is reopened if `read` is called again)."""
        ...


def _sqlite_rows(conn: sqlite3.Connection) -> tuple[tuple[str, int], ...]:
    """Read the versions and close the cursor, so no read transaction stays open (WAL resets)."""
    cursor = conn.execute(SQLITE_VERSION_SQL)
    try:
        return _as_rows(cursor.fetchall())
    finally:
        cursor.close()


class SqliteProbe:
    """A held autocommit `sqlite3` connection reading `app_meta` with one cached statement."""

    def __init__(self, args: list[Any], kwargs: Mapping[str, Any]) -> None:
        self._args = args
        self._kwargs = {**kwargs, "check_same_thread": False, "isolation_level": None}
        self._conn: sqlite3.Connection | None = None
        self._latest = _Latest()
        self.reads = 0

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = sqlite3.connect(*self._args, **self._kwargs)
        conn.execute("PRAGMA busy_timeout=0")  # runs on the event loop: never wait there
        self._conn = conn
        return conn

    def _read_waiting(self) -> DataVersions:
        """The versions on a fresh connection that may wait (run in a worker thread)."""
        conn = sqlite3.connect(*self._args, **self._kwargs)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            return self._latest.of(_sqlite_rows(conn))
        finally:
            conn.close()

    def read_now(self) -> DataVersions:
        """The versions, read synchronously (microseconds on a local file)."""
        conn = self._conn or self._connect()
        try:
            rows = _sqlite_rows(conn)
        except sqlite3.Error:
            conn.close()  # e.g. the file was replaced: reopen once, then let errors through
            rows = _sqlite_rows(self._connect())
        self.reads += 1
        return self._latest.of(rows)

    async def read(self) -> DataVersions:
        """The data versions as committed right now; off the loop if SQLite says busy."""
        try:
            return self.read_now()
        except sqlite3.OperationalError:
            found = await anyio.to_thread.run_sync(self._read_waiting)
            self.reads += 1
            return found

    async def aclose(self) -> None:
        """Close the held connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PostgresProbe:
    """A held autocommit psycopg `AsyncConnection`; concurrent requests share the next query."""

    def __init__(self, kwargs: Mapping[str, Any]) -> None:
        self._kwargs = {k: v for k, v in kwargs.items() if k != "context"}
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._started = 0  # queries started so far
        self._done = 0  # number of the last query that finished ...
        self._latest = _Latest()  # ... and the versions it read
        self.reads = 0
        self.queries = 0

    def _forget_other_loop(self) -> None:
        """A connection and a lock belong to one event loop; a new loop gets new ones."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._drop()  # its loop is gone: close the socket synchronously
            self._loop, self._lock = loop, asyncio.Lock()
            self._started = self._done = 0

    async def _query(self) -> DataVersions:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(**self._kwargs, autocommit=True)
        cursor = await self._conn.execute(POSTGRES_VERSION_SQL, prepare=True)
        self.queries += 1
        return self._latest.of(_as_rows(await cursor.fetchall()))

    async def read(self) -> DataVersions:
        """The version from a query that started after this call (shared with waiting calls)."""
        self._forget_other_loop()
        arrived = self._started
        async with self._lock:
            if self._done <= arrived:  # no query started since we arrived has finished: run one
                self._started += 1
                number = self._started
                try:
                    await self._query()
                except psycopg.OperationalError:
                    self._drop()  # the server went away or restarted: reconnect once
                    await self._query()
                except BaseException:
                    self._drop()  # e.g. cancelled mid-query: never reuse a busy connection
                    raise
                self._done = number
            self.reads += 1
            return self._latest.value

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.pgconn.finish()
            self._conn = None

    async def aclose(self) -> None:
        """Close the held connection."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()


class EngineProbe:
    """The general fallback: a pooled engine connection and the Core query."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._latest = _Latest()
        self.reads = 0

    def _read(self) -> list[tuple[str, int]]:
        with self._engine.connect() as conn:
            rows = list(versions.read_all(conn).items())
            if catchup.has_pending(conn):
                rows.append((STALE, 1))
            return rows

    async def read(self) -> DataVersions:
        """The data versions as committed right now (read in a worker thread)."""
        rows = await anyio.to_thread.run_sync(self._read)
        self.reads += 1
        return self._latest.of(_as_rows(rows))

    async def aclose(self) -> None:
        """Nothing is held."""


def probe_for(engine: Engine) -> VersionProbe:
    """The cheapest correct probe for the database behind `engine` (connects lazily)."""
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    if engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite":
        database = str(args[0]) if args else ""
        if database and database != ":memory:" and "mode=memory" not in database:
            return SqliteProbe(list(args), kwargs)
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg" and not args:
        return PostgresProbe(kwargs)
    return EngineProbe(engine)
