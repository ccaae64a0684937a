"""The version probe reads the committed data version on every call, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.api.versionprobe import (
    EngineProbe,
    PostgresProbe,
    SqliteProbe,
    VersionProbe,
    probe_for,
)
from execdash.db.changes import catch_up, record_data_change
from execdash.db.engine import create_engine


def _bump(engine: Engine) -> None:
    with engine.begin() as conn:
        record_data_change(conn, ["alerts"])


async def _read(probe: VersionProbe) -> int:
    """The version of the alerts table as the probe reads it."""
    return (await probe.read()).by_table.get("alerts", 0)


def test_each_backend_gets_a_held_connection_of_its_own(any_engine: Engine) -> None:
    expected = SqliteProbe if any_engine.dialect.name == "sqlite" else PostgresProbe
    assert isinstance(probe_for(any_engine), expected)


def test_an_in_memory_database_is_read_through_the_engine() -> None:
    engine = create_engine("sqlite://")
    assert isinstance(probe_for(engine), EngineProbe)


def test_a_commit_by_another_connection_is_seen_by_the_next_read(any_engine: Engine) -> None:
    probe = probe_for(any_engine)

    async def scenario() -> list[int]:
        seen = [await _read(probe)]
        _bump(any_engine)
        seen.append(await _read(probe))
        _bump(any_engine)
        _bump(any_engine)
        seen.append(await _read(probe))
        await probe.aclose()
        return seen

    assert asyncio.run(scenario()) == [0, 1, 3]
    assert probe.reads == 3


def test_concurrent_reads_share_queries_but_never_one_started_before_them(
    any_engine: Engine,
) -> None:
    if any_engine.dialect.name != "postgresql":
        pytest.skip("only the PostgreSQL probe awaits the network and shares queries")
    probe = probe_for(any_engine)
    assert isinstance(probe, PostgresProbe)

    async def scenario() -> tuple[list[int], int]:
        await probe.read()  # connect first
        queries = probe.queries
        crowd = await asyncio.gather(*(_read(probe) for _ in range(32)))
        shared = probe.queries - queries
        early = asyncio.create_task(_read(probe))
        await asyncio.sleep(0)  # its query is now in flight
        _bump(any_engine)  # committed while that query may already have run
        late = await _read(probe)
        await early
        await probe.aclose()
        return [*set(crowd), late], shared

    (crowd_version, late), shared = asyncio.run(scenario())
    assert (crowd_version, late) == (0, 1)
    assert shared <= 2


def test_a_lost_postgres_connection_is_reopened(any_engine: Engine) -> None:
    if any_engine.dialect.name != "postgresql":
        pytest.skip("a held PostgreSQL connection can be terminated by the server")
    probe = probe_for(any_engine)

    async def scenario() -> list[int]:
        seen = [await _read(probe)]
        with any_engine.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        _bump(any_engine)
        seen.append(await _read(probe))
        await probe.aclose()
        return seen

    assert asyncio.run(scenario()) == [0, 1]


def test_a_replaced_sqlite_connection_is_reopened(any_engine: Engine) -> None:
    if any_engine.dialect.name != "sqlite":
        pytest.skip("the SQLite probe's own connection")
    probe = probe_for(any_engine)
    assert isinstance(probe, SqliteProbe)
    assert probe.read_now().by_table["alerts"] == 0
    assert probe._conn is not None
    probe._conn.close()  # any sqlite3.Error on the held connection
    _bump(any_engine)
    assert probe.read_now().by_table["alerts"] == 1


def test_the_sqlite_probe_leaves_no_read_transaction_open(engine: Engine) -> None:
    probe = probe_for(engine)
    assert isinstance(probe, SqliteProbe)
    probe.read_now()
    for _ in range(3):
        _bump(engine)
    with engine.connect() as conn:
        busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    assert busy == 0  # a reader holding a snapshot would make the checkpoint busy
    assert probe.read_now().by_table["alerts"] == 3


def test_an_unchanged_read_returns_the_same_versions_and_a_write_elsewhere_a_new_one(
    engine: Engine,
) -> None:
    probe = probe_for(engine)
    assert isinstance(probe, SqliteProbe)
    first = probe.read_now()
    assert probe.read_now() is first  # nothing to recompute per request
    with engine.begin() as conn:
        record_data_change(conn, ["user_events"])
    second = probe.read_now()
    assert second.by_table["user_events"] == first.by_table["user_events"] + 1
    alerts = frozenset({"alerts"})
    assert second.version(alerts) == first.version(alerts)  # answers on alerts stay valid
    assert second.version(None) > first.version(None)


def test_the_probe_says_when_another_programs_write_waits_to_be_caught_up(engine: Engine) -> None:
    probe = probe_for(engine)
    assert isinstance(probe, SqliteProbe)
    assert not probe.read_now().stale
    with engine.begin() as conn:  # behind execdash's back: only the triggers see it
        conn.execute(sa.text("INSERT INTO expenses (cost, date) VALUES (3, '2025-01-02')"))
    seen = probe.read_now()
    assert seen.stale
    assert seen.by_table["expenses"] == 1
    with engine.begin() as conn:
        assert catch_up(conn)
    assert not probe.read_now().stale
