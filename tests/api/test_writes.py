"""Server writes queue on the event loop and wait for other processes; reads never wait for them."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app, writes
from execdash.config import Settings
from execdash.db.schema import user_events
from execdash.db.tables import alert_status
from tests.api.conftest import bearer
from tests.live_server import serving


@contextmanager
def another_process_writing(engine: Engine, seconds: float | None = None) -> Iterator[None]:
    """Hold SQLite's write lock from another connection (as an import does).

    It commits after `seconds`, or when the block ends if `seconds` is None.
    """
    assert engine.url.database
    other = sqlite3.connect(engine.url.database, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO user_events (event_type, event_time) VALUES ('other', '2025-01-01')")
    releaser = threading.Timer(seconds or 0, lambda: other.execute("COMMIT"))
    if seconds is not None:
        releaser.start()
    try:
        yield
    finally:
        if seconds is None:
            releaser.start()
        releaser.join()
        other.close()


def _events(engine: Engine, event_type: str) -> int:
    with engine.connect() as conn:
        query = sa.select(sa.func.count()).where(user_events.c.event_type == event_type)
        return int(conn.execute(query.select_from(user_events)).scalar_one())


def test_an_editor_write_waits_for_another_process_instead_of_failing(
    client: TestClient, engine: Engine, rows: Engine, tokens: dict[str, str]
) -> None:
    client.get("/api/v1/alerts")  # warm: the first request loads modules
    with another_process_writing(engine, 0.8):
        started = time.monotonic()
        response = client.post("/api/v1/alerts/1/acknowledge", headers=bearer(tokens["editor"]))
        waited = time.monotonic() - started
    assert response.status_code == 200, response.text  # was 500 "database is locked"
    assert waited >= 0.5
    with engine.connect() as conn:
        assert conn.execute(sa.select(alert_status.c.status)).scalar_one() == "acknowledged"


def test_a_write_that_cannot_start_in_time_is_503_with_retry_after(
    settings: Settings, engine: Engine, rows: Engine, tokens: dict[str, str]
) -> None:
    quick = Settings(database_url=settings.database_url, write_wait_seconds=0.3)
    with TestClient(create_app(quick)) as client, another_process_writing(engine):
        response = client.post("/api/v1/alerts/1/acknowledge", headers=bearer(tokens["editor"]))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Connection"] == "close"
    assert "nothing was changed" in response.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(alert_status)).scalar() == 0


async def _flood_while_locked(base: str, engine: Engine) -> tuple[list[int], float, float]:
    """60 events queued behind another process's write; time a read and health meanwhile."""
    async with httpx2.AsyncClient(base_url=base, timeout=30) as client:
        body = {"event_type": "drilldown"}
        posts = [asyncio.create_task(client.post("/api/events", json=body)) for _ in range(60)]
        await asyncio.sleep(0.5)
        began = time.perf_counter()
        health = await client.get("/api/health")
        health_seconds = time.perf_counter() - began
        began = time.perf_counter()
        read = await client.get("/api/v1/alerts")
        read_seconds = time.perf_counter() - began
        assert health.status_code == read.status_code == 200
        statuses = [(await post).status_code for post in posts]
    return statuses, health_seconds, read_seconds


def test_queued_writes_leave_reads_and_health_answering(settings: Settings, engine: Engine) -> None:
    """More writes than worker threads wait on the loop; the loop and the threads stay free."""
    roomy = Settings(
        database_url=settings.database_url,
        events_rate_per_client="1000/second",
        events_rate_total="1000/second",
    )
    with serving(roomy) as base, another_process_writing(engine, 4.0):
        statuses, health_seconds, read_seconds = asyncio.run(_flood_while_locked(base, engine))
    assert statuses == [200] * 60
    # Before, both waited for the lock (3.5 s more): the events' SQL ran on the loop, and
    # waiting writers held every worker thread. The margin allows for a busy test machine.
    assert health_seconds < 1.5
    assert read_seconds < 2.0
    assert _events(engine, "drilldown") == 60


@pytest.mark.postgres
def test_concurrent_events_on_postgres_never_hang_the_server(any_engine: Engine) -> None:
    """Two clients posting at once used to leave one transaction idle and the server frozen."""
    if any_engine.dialect.name != "postgresql":
        pytest.skip("the SQLite case is covered above")
    url = any_engine.url.render_as_string(hide_password=False)
    roomy = Settings(database_url=url, events_rate_per_client="1000/second")

    async def two_clients(base: str) -> list[int]:
        async def one_client() -> list[int]:
            async with httpx2.AsyncClient(base_url=base, timeout=20) as client:
                answers = await asyncio.gather(
                    *(
                        client.post("/api/events", json={"event_type": "alert_click"})
                        for _ in range(20)
                    )
                )
                return [a.status_code for a in answers]

        first, second = await asyncio.gather(one_client(), one_client())
        async with httpx2.AsyncClient(base_url=base, timeout=5) as client:
            assert (await client.get("/api/health")).status_code == 200
        return first + second

    with serving(roomy) as base:
        statuses = asyncio.run(two_clients(base))
    assert statuses == [200] * 40
    assert _events(any_engine, "alert_click") == 40


def test_a_run_opens_writes_and_commits_in_one_worker_thread_call(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    hops: list[str] = []
    real_run_sync = writes.anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(func, "__name__", repr(func)))
        return await real_run_sync(func, *args, **kwargs)

    monkeypatch.setattr(writes.anyio.to_thread, "run_sync", counted)
    gate = writes.WriteGate(engine, wait_seconds=5)
    loop_thread = threading.get_ident()

    def work(conn: sa.Connection) -> int:
        assert threading.get_ident() != loop_thread  # off the event loop
        conn.execute(
            user_events.insert(), [{"event_type": "run", "event_time": dt.datetime(2025, 1, 2)}]
        )
        return 7

    assert asyncio.run(gate.run(work)) == 7
    assert hops == ["_open_run_finish"]
    assert _events(engine, "run") == 1  # committed

    async def by_transaction() -> None:
        async with gate.transaction() as conn:
            await real_run_sync(work, conn)

    hops.clear()
    asyncio.run(by_transaction())
    assert hops == ["_open", "_finish"]  # plus the work's own hop: three in all


def test_a_run_that_raises_stores_nothing_and_frees_the_gate(engine: Engine) -> None:
    gate = writes.WriteGate(engine, wait_seconds=5)

    def failing(conn: sa.Connection) -> None:
        conn.execute(
            user_events.insert(), [{"event_type": "lost", "event_time": dt.datetime(2025, 1, 2)}]
        )
        raise ValueError("bad batch")

    async def both() -> int:
        with pytest.raises(ValueError, match="bad batch"):
            await gate.run(failing)
        return await asyncio.wait_for(gate.run(lambda conn: 1), timeout=5)  # not left locked

    assert asyncio.run(both()) == 1
    assert _events(engine, "lost") == 0


def test_a_run_waits_its_turn_at_the_gate_and_is_write_busy_when_that_takes_too_long(
    engine: Engine,
) -> None:
    gate = writes.WriteGate(engine, wait_seconds=0.3)

    async def behind_a_long_write() -> None:
        async with gate.transaction():
            with pytest.raises(writes.WriteBusy):
                await gate.run(lambda conn: None)

    asyncio.run(behind_a_long_write())
