"""After a data change the likely next answers are recomputed in the background, newest first."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from execdash.api import create_app, warmer
from execdash.api.readlayer import ReadLayer
from execdash.api.versionprobe import DataVersions
from execdash.config import Settings
from execdash.db import schema as s
from execdash.db.changes import record_data_change


def test_the_likely_answers_are_every_window_of_the_overview_and_domain_pages() -> None:
    urls = warmer.likely_next()
    assert len(urls) == len(warmer.PAGES) * 10  # 5 ranges × 2 granularities
    assert urls[0] == ("/api/v1/dashboard", "range=12m&granularity=month")  # default view first
    assert {path for path, _ in urls} == set(warmer.PAGES)


def _versions(**tables: int) -> DataVersions:
    return DataVersions(tuple(sorted(tables.items())))


def test_a_change_queues_only_answers_that_read_a_changed_table_newest_first() -> None:
    async def scenario() -> list[list[tuple[str, str]]]:
        fetched: list[tuple[str, str]] = []
        release = asyncio.Event()

        async def fetch(path: str, query: str) -> bool:
            fetched.append((path, query))
            await release.wait()
            return False

        w = warmer.Warmer(fetch, lambda: False)
        w.changed(_versions(user_events=1), _versions(user_events=2))  # usage event: nothing
        queued_for_event = list(w._pending)
        w.changed(_versions(expenses=1), _versions(expenses=2))
        await asyncio.sleep(0)
        first_round = list(w._pending)
        w.changed(_versions(supply_lead_time=1), _versions(supply_lead_time=2))
        newest = list(w._pending)
        release.set()
        await w.idle()
        return [queued_for_event, first_round, newest, fetched]

    event, expenses, newest, fetched = asyncio.run(scenario())
    assert event == []
    assert {path for path, _ in expenses} == {"/api/v1/dashboard", "/api/v1/finance"}
    assert newest[0] == ("/api/v1/supply", "range=12m&granularity=month")
    assert {path for path, _ in newest[:10]} == {"/api/v1/supply"}  # the newest change first
    assert set(expenses) <= set(newest)  # the earlier change's answers are still to be done
    assert len(fetched) == len(set(fetched))


def test_the_warmer_waits_while_a_foreground_miss_computes() -> None:
    async def scenario() -> tuple[int, int]:
        busy = True
        fetched: list[str] = []

        async def fetch(path: str, query: str) -> bool:
            fetched.append(path)
            return True

        w = warmer.Warmer(fetch, lambda: busy)
        w.changed(_versions(expenses=1), _versions(expenses=2))
        await asyncio.sleep(0.05)
        during = len(fetched)
        busy = False
        await w.idle()
        return during, len(fetched)

    during, after = asyncio.run(scenario())
    assert during == 0
    assert after == 20  # dashboard and finance × 10 windows


@pytest.mark.parametrize("through", ["api", "other connection"])
def test_after_a_change_the_next_request_is_a_cache_hit_without_computing(
    sqlite_url: str, engine: Engine, through: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warmer, "REST_FACTOR", 0.0)
    monkeypatch.setattr("execdash.api.readlayer.WATCH_S", 0.05)
    app = create_app(Settings(database_url=sqlite_url))
    url = "/api/v1/finance?range=3m&granularity=quarter"

    async def scenario() -> tuple[int, int, str, str]:
        async with _served(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                await client.get(url)  # the layer has seen the data once
                before = (await client.get(url)).headers["etag"]
                with engine.begin() as conn:
                    conn.execute(s.expenses.insert().values(cost=9.0, date=dt.date(2026, 10, 3)))
                    record_data_change(conn, ["expenses"])
                if through == "api":  # a write through this server notices the change at once
                    await client.post("/api/events", json={"event_type": "drilldown"})
                layer = _layer(app)
                deadline = time.monotonic() + 20
                assert layer.warmer is not None
                while time.monotonic() < deadline and layer.warmer.computed < 20:
                    await asyncio.sleep(0.05)
                computed = layer.computed
                response = await client.get(url)
                await layer.warmer.idle()  # leave no computation running after the test
                return computed, layer.computed, before, response.headers["etag"]

    computed_before, computed_after, before, after = asyncio.run(scenario())
    assert after != before  # the new data's answer ...
    assert computed_after == computed_before  # ... served from the cache, computed earlier


@contextlib.asynccontextmanager
async def _served(app: FastAPI) -> AsyncIterator[None]:
    """Run the application's lifespan through its middleware, as a server does."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, inbox.get, outbox.put))  # type: ignore[arg-type]
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


def _layer(app: FastAPI) -> ReadLayer:
    """The read layer instance inside the built middleware stack."""
    node: Any = app.middleware_stack
    while not isinstance(node, ReadLayer):
        node = node.app
    return node
