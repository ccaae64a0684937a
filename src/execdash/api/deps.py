"""Per-request database access: a read connection, or a write transaction committed on success."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from execdash.api.writes import WriteGate
from execdash.config import Settings
from execdash.db.read_once import SNAPSHOT


def engine_of(request: Request) -> Engine:
    """The engine `create_app` opened for this application."""
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> Settings:
    """The settings this application was built with."""
    settings: Settings = request.app.state.settings
    return settings


def write_gate_of(request: Request) -> WriteGate:
    """The gate that lets this application's writes run one at a time."""
    gate: WriteGate = request.app.state.write_gate
    return gate


@contextmanager
def reading(engine: Engine) -> Iterator[sa.Connection]:
    """A connection for one answer's reads, closed when the answer is built.

    Every statement of one answer reads the same snapshot, so a write committed while a summary
    runs its 90 statements cannot leave half its figures before it and half after: SQLite's
    read transaction does that by itself, PostgreSQL needs REPEATABLE READ (its default, READ
    COMMITTED, takes a new snapshot per statement)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        conn.execution_options(**{SNAPSHOT: True})  # facts fixed by the snapshot are read once
        yield conn


def read_conn(request: Request) -> Iterator[sa.Connection]:
    """The request's read connection (`reading`); `api.onethread` opens it in the endpoint's
    thread instead, so this runs only for an endpoint that is not wrapped."""
    with reading(engine_of(request)) as conn:
        yield conn


async def write_conn(request: Request) -> AsyncIterator[sa.Connection]:
    """A write transaction: queued on the loop, opened, committed and closed in worker threads."""
    async with write_gate_of(request).transaction() as conn:
        yield conn


ReadConn = Annotated[sa.Connection, Depends(read_conn)]
"""A read connection, as an endpoint parameter type."""

# scope="function" commits before the response is sent: a client that reads right after a 2xx
# sees its write, and a failed commit becomes an error response instead of a silent loss.
# Endpoints taking one must be plain `def` so their SQL runs in the thread pool, not on the loop.
WriteConn = Annotated[sa.Connection, Depends(write_conn, scope="function")]
"""A write transaction, as an endpoint parameter type."""
