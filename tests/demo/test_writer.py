"""The bulk writer only touches seed tables and their columns."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.demo.writer import BulkWriter


def test_writes_rows_and_counts_them(engine: Engine) -> None:
    with engine.begin() as conn:
        writer = BulkWriter(conn)
        assert writer.write("ops_uptime", ("period", "uptime"), [("2025-01", 0.99)]) == 1
        assert writer.counts == {"ops_uptime": 1}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT uptime FROM ops_uptime")).scalar_one() == 0.99


def test_unknown_table_or_column_is_rejected(engine: Engine) -> None:
    with engine.begin() as conn:
        writer = BulkWriter(conn)
        with pytest.raises(ValueError, match="'app_meta' is not a seed table"):
            writer.write("app_meta", ("key",), [])
        with pytest.raises(ValueError, match="'ops_uptime' has no column 'uptme'"):
            writer.write("ops_uptime", ("period", "uptme"), [])


def test_large_cache_is_restored_after_the_load(engine: Engine) -> None:
    with engine.begin() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        writer = BulkWriter(conn)
        with writer.large_cache(64):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -65536
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == before
