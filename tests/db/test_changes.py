"""The data version moves with every recorded change and only inside the writer's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.db import versions
from execdash.db.changes import data_version, last_data_update, record_data_change


def test_fresh_database_is_at_version_zero_with_no_update_time(any_engine: Engine) -> None:
    with any_engine.connect() as conn:
        assert data_version(conn) == 0
        assert last_data_update(conn) is None


def test_each_recorded_change_bumps_the_version_of_its_tables(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        first = record_data_change(conn, ["orders"])
        second = record_data_change(conn, ["alerts"])
        assert second > first > 0
        assert versions.of(conn, ["orders", "alerts", "risks"]) == {
            "orders": 1,
            "alerts": 1,
            "risks": 0,
        }
    with any_engine.connect() as conn:
        assert data_version(conn) == second
        assert data_version(conn, ["alerts"]) == 1
        assert last_data_update(conn) is not None
        assert last_data_update(conn, ["risks"]) is None


def test_a_rolled_back_change_does_not_move_the_version(engine: Engine) -> None:
    def failing_import() -> None:
        with engine.begin() as conn:
            record_data_change(conn, ["orders"])
            raise RuntimeError("import failed")

    with pytest.raises(RuntimeError):
        failing_import()
    with engine.connect() as conn:
        assert data_version(conn) == 0
