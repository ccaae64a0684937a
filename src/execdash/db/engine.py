"""Create SQLAlchemy engines with the connection settings execdash relies on.

Reads and writes share one engine. A write opens its transaction with `begin_write`, which on
SQLite issues `BEGIN IMMEDIATE`: the write lock is taken (or waited for, up to the busy
timeout) before the first statement, so a writer never fails half-way with "database is
locked" because another connection wrote first. WAL mode lets reads go on while a write runs.

The server's engine (`server=True`) has a pool as large as the thread pool that runs its
endpoints, and on PostgreSQL a statement timeout, a lock timeout and an idle-in-transaction
timeout, so a stuck statement or a forgotten transaction cannot hold locks for long; its
queries run without parallel workers (each is a few milliseconds of rollup reads).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

WRITE = "execdash_write"
"""Execution option that marks a connection's next transaction as a write (see `begin_write`)."""

CLI_BUSY_TIMEOUT_MS = 120_000
"""How long a command (an import) waits for the server's current write to finish."""

SERVER_BUSY_TIMEOUT_MS = 30_000
"""How long a server connection waits for another process's write (set per write, see api)."""

SERVER_POSTGRES_OPTIONS = {
    "statement_timeout": "30s",
    "lock_timeout": "20s",
    "idle_in_transaction_session_timeout": "60s",
    # The server's statements read rollups in a few ms: starting parallel workers for them costs
    # more than it saves (the new-MRR lookups of a summary took 10 ms with two workers, 4 ms
    # without) and takes cores from the other requests.
    "max_parallel_workers_per_gather": "0",
}
CLI_POSTGRES_OPTIONS = {"idle_in_transaction_session_timeout": "10min"}
SERVER_POOL = {"pool_size": 10, "max_overflow": 30, "pool_timeout": 10}

SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
)

SQLITE_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
POSTGRES_BUSY_STATES = {
    "55P03",  # lock_not_available (lock_timeout)
    "57014",  # query_canceled (statement_timeout)
    "40P01",  # deadlock_detected
    "40001",  # serialization_failure
    "25P03",  # idle_in_transaction_session_timeout
    "53300",  # too_many_connections
}


def normalise_url(url: str) -> str:
    """Map plain postgres URLs onto the psycopg 3 driver so users can paste what they have."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _postgres_options(settings: dict[str, str]) -> str:
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


def create_engine(url: str, *, server: bool = False, **kwargs: Any) -> Engine:
    """Return an engine for `url`: SQLite gets foreign keys, WAL and a busy timeout; see module."""
    url = normalise_url(url)
    backend = make_url(url).get_backend_name()
    connect_args: dict[str, Any] = kwargs.setdefault("connect_args", {})
    if backend == "sqlite":
        connect_args.setdefault("check_same_thread", False)
    elif backend == "postgresql":
        options = SERVER_POSTGRES_OPTIONS if server else CLI_POSTGRES_OPTIONS
        connect_args.setdefault("options", _postgres_options(options))
    if server and ":memory:" not in url:
        for name, value in SERVER_POOL.items():
            kwargs.setdefault(name, value)
    engine = sa.create_engine(url, **kwargs)
    if backend == "sqlite":
        busy = SERVER_BUSY_TIMEOUT_MS if server else CLI_BUSY_TIMEOUT_MS
        _sqlite_settings(engine, busy)
    return engine


def _sqlite_settings(engine: Engine, busy_timeout_ms: int) -> None:
    """Pragmas on every pooled connection; SQLAlchemy, not pysqlite, issues BEGIN (see module)."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN: transactions are real
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def begin_write(engine: Engine) -> Iterator[sa.Connection]:
    """A write transaction (committed on success, rolled back on error); IMMEDIATE on SQLite."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite (some SQL differs by dialect)."""
    return engine.dialect.name == "sqlite"


def is_missing_schema(exc: BaseException) -> bool:
    """True when `exc` says a table does not exist: the database was never upgraded."""
    original = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    if isinstance(original, sqlite3.OperationalError):
        return str(original).startswith("no such table")
    if isinstance(original, psycopg.Error):
        return original.sqlstate == "42P01"  # undefined_table
    return False


def is_contention(exc: BaseException) -> bool:
    """True when `exc` means "another writer is in the way" (retry later), not a broken request."""
    if isinstance(exc, sa.exc.TimeoutError):  # no pooled connection came free in time
        return True
    original = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in SQLITE_BUSY_CODES:
            return True
        return "locked" in str(original) or "busy" in str(original)
    if isinstance(original, psycopg.Error):
        return original.sqlstate in POSTGRES_BUSY_STATES
    return False
