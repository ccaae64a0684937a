"""Read the data version once per request as cheaply as possible, never a stale value.

The read layer asks for the version on every tagged GET, so its cost is most of a cache hit.
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
- Anything else (an in-memory SQLite, another dialect): the engine and `data_version`.

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

from execdash.db.changes import DATA_VERSION, data_version
from execdash.db.tables import app_meta

SQLITE_VERSION_SQL = f"SELECT value FROM {app_meta.name} WHERE key = ?"
POSTGRES_VERSION_SQL = f"SELECT value FROM {app_meta.name} WHERE key = %s"
BUSY_TIMEOUT_MS = 5000


class VersionProbe(Protocol):
    """Something that returns the current data version and can be closed."""

    reads: int
    """How many versions it has returned (one per tagged request)."""

    async def read(self) -> int:
        """The data version as committed right now."""
        ...

    async def aclose(self) -> None:
        """Release the held connection (it is reopened if `read` is called again)."""
        ...


def _as_version(row: tuple[Any, ...] | None) -> int:
    return int(row[0]) if row is not None else 0


def _sqlite_version(conn: sqlite3.Connection) -> int:
    """Read the version and close the cursor, so no read transaction stays open (WAL resets)."""
    cursor = conn.execute(SQLITE_VERSION_SQL, (DATA_VERSION,))
    try:
        return _as_version(cursor.fetchone())
    finally:
        cursor.close()


class SqliteProbe:
    """A held autocommit `sqlite3` connection reading `app_meta` with one cached statement."""

    def __init__(self, args: list[Any], kwargs: Mapping[str, Any]) -> None:
        self._args = args
        self._kwargs = {**kwargs, "check_same_thread": False, "isolation_level": None}
        self._conn: sqlite3.Connection | None = None
        self.reads = 0

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = sqlite3.connect(*self._args, **self._kwargs)
        conn.execute("PRAGMA busy_timeout=0")  # runs on the event loop: never wait there
        self._conn = conn
        return conn

    def _read_waiting(self) -> int:
        """The version on a fresh connection that may wait (run in a worker thread)."""
        conn = sqlite3.connect(*self._args, **self._kwargs)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            return _sqlite_version(conn)
        finally:
            conn.close()

    def read_now(self) -> int:
        """The version, read synchronously (microseconds on a local file)."""
        conn = self._conn or self._connect()
        try:
            version = _sqlite_version(conn)
        except sqlite3.Error:
            conn.close()  # e.g. the file was replaced: reopen once, then let errors through
            version = _sqlite_version(self._connect())
        self.reads += 1
        return version

    async def read(self) -> int:
        """The data version as committed right now; off the loop if SQLite says busy."""
        try:
            return self.read_now()
        except sqlite3.OperationalError:
            version = await anyio.to_thread.run_sync(self._read_waiting)
            self.reads += 1
            return version

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
        self._value = 0  # ... and the version it read
        self.reads = 0
        self.queries = 0

    def _forget_other_loop(self) -> None:
        """A connection and a lock belong to one event loop; a new loop gets new ones."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._drop()  # its loop is gone: close the socket synchronously
            self._loop, self._lock = loop, asyncio.Lock()
            self._started = self._done = 0

    async def _query(self) -> int:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(**self._kwargs, autocommit=True)
        cursor = await self._conn.execute(POSTGRES_VERSION_SQL, (DATA_VERSION,), prepare=True)
        self.queries += 1
        return _as_version(await cursor.fetchone())

    async def read(self) -> int:
        """The version from a query that started after this call (shared with waiting calls)."""
        self._forget_other_loop()
        arrived = self._started
        async with self._lock:
            if self._done <= arrived:  # no query started since we arrived has finished: run one
                self._started += 1
                number = self._started
                try:
                    value = await self._query()
                except psycopg.OperationalError:
                    self._drop()  # the server went away or restarted: reconnect once
                    value = await self._query()
                except BaseException:
                    self._drop()  # e.g. cancelled mid-query: never reuse a busy connection
                    raise
                self._done, self._value = number, value
            self.reads += 1
            return self._value

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
        self.reads = 0

    def _read(self) -> int:
        with self._engine.connect() as conn:
            return data_version(conn)

    async def read(self) -> int:
        """The data version as committed right now (read in a worker thread)."""
        version = await anyio.to_thread.run_sync(self._read)
        self.reads += 1
        return version

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
