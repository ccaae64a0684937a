"""The request dependencies: one answer's reads see one snapshot of the data, on both backends."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.api.deps import read_conn
from execdash.db import schema as s


def _request(engine: Engine) -> Any:
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(engine=engine)))


def _customers(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(s.customers)).scalar_one())


def test_a_write_committed_during_an_answer_is_not_seen_by_its_later_reads(
    any_engine: Engine,
) -> None:
    reads = read_conn(_request(any_engine))
    conn = next(reads)
    try:
        assert _customers(conn) == 0  # the answer's first read takes its snapshot
        with any_engine.begin() as writer:
            writer.execute(s.customers.insert().values(id=1, name="Acme"))
        assert _customers(conn) == 0  # still the snapshot of the first read
    finally:
        reads.close()
    with any_engine.connect() as later:
        assert _customers(later) == 1  # the next answer sees the write
