"""Rate limits on anonymous usage events: per client address and in total, 429 + Retry-After."""

from __future__ import annotations

import asyncio
import threading

import pytest
import sqlalchemy as sa
from fastapi import HTTPException
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.eventguard import EventLimits
from execdash.config import Settings, SettingsError
from execdash.db.schema import user_events


def test_a_client_over_its_limit_gets_429_with_retry_after(
    settings: Settings, engine: Engine
) -> None:
    app = create_app(Settings(database_url=settings.database_url, events_rate_per_client="3/hour"))
    with TestClient(app) as client:
        answers = [client.post("/api/events", json={"event_type": "drilldown"}) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert "from testclient" in refused.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_events)).scalar() == 3


def test_limits_count_each_client_address_separately() -> None:
    async def scenario() -> None:
        limits = EventLimits("2/minute", "100/minute")
        for _ in range(2):
            await limits.check("10.0.0.1")
            await limits.check("10.0.0.2")
        with pytest.raises(HTTPException) as refused:
            await limits.check("10.0.0.1")
        assert refused.value.status_code == 429

    asyncio.run(scenario())


def test_the_total_limit_holds_whatever_the_addresses() -> None:
    async def scenario() -> None:
        limits = EventLimits("10/minute", "3/minute")
        for number in range(3):
            await limits.check(f"10.0.0.{number}")
        with pytest.raises(HTTPException) as refused:
            await limits.check("10.0.0.99")
        assert refused.value.status_code == 429
        assert "from all clients" in str(refused.value.detail)
        assert refused.value.headers is not None
        assert 1 <= int(refused.value.headers["Retry-After"]) <= 60

    asyncio.run(scenario())


def test_a_refused_client_does_not_use_up_the_total() -> None:
    async def scenario() -> None:
        limits = EventLimits("1/minute", "2/minute")
        await limits.check("10.0.0.1")
        for _ in range(5):
            with pytest.raises(HTTPException):
                await limits.check("10.0.0.1")
        await limits.check("10.0.0.2")  # the total still has room: refused events were not counted

    asyncio.run(scenario())


def test_bad_rate_settings_are_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="EXECDASH_EVENTS_RATE_TOTAL"):
        Settings.from_env({"EXECDASH_EVENTS_RATE_TOTAL": "lots"})
    settings = Settings.from_env({"EXECDASH_EVENTS_RATE_PER_CLIENT": "5/second;100/hour"})
    assert settings.events_rate_per_client == "5/second;100/hour"


def test_counting_events_starts_no_thread() -> None:
    """The thread-based storage started a timer thread for nearly every event; the loop's own
    task expires the counters now."""

    async def scenario() -> int:
        limits = EventLimits("1000/minute", "1000/minute")
        await limits.check("10.0.0.1")
        await asyncio.sleep(0.05)  # any timer of the first count has ended
        before, most = threading.active_count(), 0
        for number in range(20):
            await limits.check(f"10.0.0.{number % 5}")
            most = max(most, threading.active_count() - before)
            await asyncio.sleep(0.012)  # longer than the old storage's 10 ms timer
        return most

    assert asyncio.run(scenario()) == 0
