"""Per-request database access: a read connection, or a write transaction committed on success."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from execdash.config import Settings


def engine_of(request: Request) -> Engine:
    """The engine `create_app` opened for this application."""
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> Settings:
    """The settings this application was built with."""
    settings: Settings = request.app.state.settings
    return settings


def read_conn(request: Request) -> Iterator[sa.Connection]:
    """A connection for reads, closed after the response is built."""
    with engine_of(request).connect() as conn:
        yield conn


def write_conn(request: Request) -> Iterator[sa.Connection]:
    """A transaction: committed before the response is sent, rolled back if the endpoint raises."""
    with engine_of(request).begin() as conn:
        yield conn


ReadConn = Annotated[sa.Connection, Depends(read_conn)]
"""A read connection, as an endpoint parameter type."""

# scope="function" commits before the response is sent: a client that reads right after a 2xx
# sees its write, and a failed commit becomes an error response instead of a silent loss.
WriteConn = Annotated[sa.Connection, Depends(write_conn, scope="function")]
"""A write transaction, as an endpoint parameter type."""
