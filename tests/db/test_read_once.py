"""Facts fixed by a read snapshot are read once per transaction, and only on reading connections."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import read_once, rollups
from execdash.db.changes import record_data_change
from execdash.db.read_once import SNAPSHOT


def _counting(conn: sa.Connection) -> tuple[list[int], object]:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return int(conn.execute(sa.text("SELECT 41 + 1")).scalar_one())

    return reads, read


def test_a_reading_connection_reads_a_fact_once_per_transaction(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execution_options(**{SNAPSHOT: True})
        reads, read = _counting(conn)
        assert read_once.once(conn, "k", read) == 42  # type: ignore[arg-type]
        assert read_once.once(conn, "k", read) == 42  # type: ignore[arg-type]
        assert len(reads) == 1
        read_once.once(conn, "other", read)  # type: ignore[arg-type]
        assert len(reads) == 2  # another key is another fact
        conn.rollback()  # a new transaction is a new snapshot
        read_once.once(conn, "k", read)  # type: ignore[arg-type]
        assert len(reads) == 3
        conn.rollback()
        conn.execute(sa.text("SELECT 1"))  # the next transaction has begun before the fact is asked
        read_once.once(conn, "k", read)  # type: ignore[arg-type]
        assert len(reads) == 4


def test_a_connection_that_may_write_reads_every_time(engine: Engine) -> None:
    with engine.connect() as conn:
        reads, read = _counting(conn)
        for _ in range(3):
            read_once.once(conn, "k", read)  # type: ignore[arg-type]
        assert len(reads) == 3


def test_a_writer_sees_its_own_ready_mark_at_once(engine: Engine) -> None:
    mrr = rollups.by_target("execdash_rollup_mrr_month_customer")
    with engine.begin() as conn:
        assert not rollups.is_ready(conn, mrr)
        record_data_change(conn, ["orders"])  # rebuilds and marks the rollups
        assert rollups.is_ready(conn, mrr)


def test_a_reading_connection_keeps_its_answer_until_its_transaction_ends(engine: Engine) -> None:
    mrr = rollups.by_target("execdash_rollup_mrr_month_customer")
    with engine.connect() as reader:
        reader.execution_options(**{SNAPSHOT: True})
        assert not rollups.is_ready(reader, mrr)
        with engine.begin() as writer:
            record_data_change(writer, ["orders"])
        assert not rollups.is_ready(reader, mrr)  # the snapshot it answers from
        reader.rollback()
        reader.execute(sa.text("SELECT 1"))
        assert rollups.is_ready(reader, mrr)
