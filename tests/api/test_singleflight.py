"""Concurrent misses on one answer compute it once, and a miss never holds up hits elsewhere."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.metrics import executive

SLOW_S = 0.4


@pytest.fixture
def slow_kpis(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the KPI computation take SLOW_S in its worker thread, recording each run's thread."""
    runs: list[str] = []
    real = executive.kpis

    def slow(*args: object, **kwargs: object) -> object:
        runs.append(threading.current_thread().name)
        time.sleep(SLOW_S)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(executive, "kpis", slow)
    return runs


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def test_eight_concurrent_misses_on_one_answer_compute_it_once(
    sqlite_url: str, engine: Engine, slow_kpis: list[str]
) -> None:
    del engine
    app = create_app(Settings(database_url=sqlite_url))

    async def scenario() -> list[httpx.Response]:
        async with _client(app) as client:
            return await asyncio.gather(*(client.get("/api/v1/kpis") for _ in range(8)))

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [200] * 8
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["etag"] for r in responses}) == 1
    assert len(slow_kpis) == 1  # one computation for eight requests
    assert slow_kpis[0] != threading.main_thread().name  # in a worker thread, not on the loop


def test_a_miss_being_computed_does_not_hold_up_hits_on_other_answers(
    sqlite_url: str, engine: Engine, slow_kpis: list[str]
) -> None:
    del engine
    app = create_app(Settings(database_url=sqlite_url))

    async def scenario() -> tuple[int, bool]:
        async with _client(app) as client:
            assert (await client.get("/api/v1/alerts")).status_code == 200  # now cached
            miss = asyncio.create_task(client.get("/api/v1/kpis"))
            deadline = time.monotonic() + 30
            while not slow_kpis:  # the KPI miss is computing in its worker thread
                assert time.monotonic() < deadline, "the KPI miss never started computing"
                await asyncio.sleep(0.001)
            hits = 0
            while not miss.done() and hits < 20:
                assert (await client.get("/api/v1/alerts")).status_code == 200
                hits += 1
            answered_during_the_miss = not miss.done()
            await miss
            return hits, answered_during_the_miss

    hits, answered_during_the_miss = asyncio.run(scenario())
    assert (hits, answered_during_the_miss) == (20, True)  # the loop kept serving hits
    assert len(slow_kpis) == 1
