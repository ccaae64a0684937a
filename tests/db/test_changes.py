"""The data version moves with every recorded change and only inside the writer's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import catchup, migrate, rollups, versions
from execdash.db import schema as s
from execdash.db.changes import (
    add_change_hook,
    catch_up,
    data_version,
    last_data_update,
    lock_derived_tables,
    record_data_change,
    remove_change_hook,
)
from execdash.db.engine import create_engine
from tests.conftest import _fresh_postgres_database


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


def _rollups_match_raw_rows(engine: Engine) -> bool:
    with engine.connect() as conn:
        pairs = [
            (rollups.snapshot(conn, r), rollups.recompute(conn, r))
            for r in rollups.ROLLUPS
            if r.source.name == "user_events"
        ]
    return all(stored == raw for stored, raw in pairs)


@pytest.mark.postgres
def test_small_writes_never_wait_for_an_import_holding_the_derived_tables(
    postgres_server_url: str,
) -> None:
    """An import holds the derived tables' lock for its whole transaction; a usage event and an
    alert edit meanwhile commit at once, and the next catch-up applies what they left stale."""
    engine = create_engine(_fresh_postgres_database(postgres_server_url))
    migrate.upgrade(engine)
    day = dt.date(2026, 10, 5)
    try:
        with engine.begin() as conn:  # the rollups are built and maintained from here on
            rollups.rebuild_all(conn)
        with engine.connect() as conn:
            before = versions.of(conn, ["user_events", "alerts"])
        importer = engine.connect()
        importer.begin()
        lock_derived_tables(importer)  # what a running import holds until it commits
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL lock_timeout = '2s'"))  # waiting would fail
                conn.execute(s.user_events.insert().values(event_type="drilldown", event_time=day))
                record_data_change(conn, ["user_events"], {"user_events": (day, day)}, wait=False)
                conn.execute(
                    s.alerts.insert().values(type="x", title="t", description="d", severity="low")
                )
                record_data_change(conn, ["alerts"])
        finally:
            importer.rollback()
            importer.close()
        with engine.connect() as conn:
            after = versions.of(conn, ["user_events", "alerts"])
            assert all(after[name] > before[name] for name in before)
            assert catchup.has_pending(conn)  # the event's rollup day waits for a catch-up
        with engine.begin() as conn:
            assert catch_up(conn)
        with engine.connect() as conn:
            assert not catchup.has_pending(conn)
        assert _rollups_match_raw_rows(engine)
    finally:
        engine.dispose()


def test_a_usage_event_refreshes_its_rollup_at_once_when_nothing_holds_the_lock(
    any_engine: Engine,
) -> None:
    day = dt.date(2026, 10, 5)
    with any_engine.begin() as conn:
        rollups.rebuild_all(conn)
    with any_engine.begin() as conn:
        conn.execute(s.user_events.insert().values(event_type="drilldown", event_time=day))
        record_data_change(conn, ["user_events"], {"user_events": (day, day)}, wait=False)
    with any_engine.connect() as conn:
        assert not catchup.has_pending(conn)
    assert _rollups_match_raw_rows(any_engine)


def test_a_hook_runs_only_for_changes_to_the_tables_it_names(any_engine: Engine) -> None:
    seen: list[frozenset[str] | None] = []
    savepoints: list[str] = []

    def hook(conn: sa.Connection, changed: frozenset[str] | None) -> None:
        seen.append(changed)

    def any_change(conn: sa.Connection, changed: frozenset[str] | None) -> None:
        seen.append(frozenset({"any"}))

    add_change_hook(hook, ["orders", "expenses"])
    add_change_hook(any_change)

    def count(conn: sa.Connection, name: str) -> None:
        savepoints.append(name)

    sa.event.listen(any_engine, "savepoint", count)
    try:
        with any_engine.begin() as conn:
            record_data_change(conn, ["user_events"])  # not the hook's: not called, no savepoint
            assert seen == [frozenset({"any"})]
            assert len(savepoints) == 1
            record_data_change(conn, ["orders"])
            record_data_change(conn)  # every table
    finally:
        remove_change_hook(hook)
        remove_change_hook(any_change)
        sa.event.remove(any_engine, "savepoint", count)
    assert seen[1:] == [frozenset({"orders"}), frozenset({"any"}), None, frozenset({"any"})]
