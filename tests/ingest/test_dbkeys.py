"""Existing ids are asked per chunk with SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.schema import customers, pipeline_stages_daily
from execdash.ingest.columns import table_spec
from execdash.ingest.dbkeys import IN_LIST, SerialKeys, existing_keys


def test_serial_keys_find_ids_in_many_in_lists(any_engine: Engine) -> None:
    ids = list(range(1, 2 * IN_LIST + 50, 2))  # odd ids, more than two IN lists' worth
    with any_engine.begin() as conn:
        conn.execute(customers.insert(), [{"id": i, "name": f"c{i}"} for i in ids])
    with any_engine.connect() as conn:
        keys = SerialKeys(conn, "customers")
        asked = list(range(0, 2 * IN_LIST + 60))
        assert keys.present(asked) == {i for i in asked if i % 2 and i in set(ids)}
        assert keys.present([-5, "3", None, 10**12]) == set()
        assert 3 in keys
        assert 4 not in keys


def test_ids_above_the_largest_need_no_query(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(customers.insert(), [{"id": 5, "name": "e"}])
    with any_engine.connect() as conn:
        keys = SerialKeys(conn, "customers")
        assert keys.largest() == 5
        statements: list[str] = []
        sa.event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
        assert keys.present(range(6, 5000)) == set()
        assert statements == []


def test_an_empty_table_has_no_ids(any_engine: Engine) -> None:
    with any_engine.connect() as conn:
        assert SerialKeys(conn, "customers").present([0, 1, -1]) == set()


def test_composite_keys_are_fetched_in_pass_one_form(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(
            pipeline_stages_daily.insert(),
            [{"period": dt.date(2025, 1, 1), "stage_name": "MQL", "value": 2}],
        )
    with any_engine.connect() as conn:
        keys = existing_keys(conn, table_spec("pipeline_stages_daily"))
        assert ("2025-01-01", "MQL") in keys
        assert keys.present([("2025-01-01", "MQL"), ("2025-01-01", "SQL")]) == {
            ("2025-01-01", "MQL")
        }
