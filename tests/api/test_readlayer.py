"""The read layer serves cached answers plain or gzip, compresses once, and is never stale."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import time

import orjson
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import cache as cache_module
from execdash.api import create_app
from execdash.api.cache import ResponseCache
from execdash.config import Settings
from execdash.db import schema
from execdash.db.changes import catch_up, record_data_change
from tests.api.conftest import bearer

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}
DASHBOARD = "/api/v1/dashboard?range=6m"


def _raw(
    client: TestClient, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (no client-side decoding)."""
    with client.stream("GET", path, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


def _cache(client: TestClient) -> ResponseCache:
    cache: ResponseCache = client.app.state.response_cache  # type: ignore[attr-defined]
    return cache


def test_a_gzip_client_gets_one_gzip_layer_on_miss_and_on_hit(
    client: TestClient, company: Engine
) -> None:
    plain = client.get(DASHBOARD, headers=PLAIN).content
    _cache(client).clear()
    for _ in ("miss", "hit"):
        status, headers, body = _raw(client, DASHBOARD, GZIP)
        assert status == 200
        assert headers["content-encoding"] == "gzip"
        assert headers["vary"] == "Accept-Encoding"
        assert int(headers["content-length"]) == len(body)
        assert gzip.decompress(body) == plain  # one layer: a second gzip would not be JSON
    assert (_cache(client).misses, _cache(client).hits) == (2, 1)  # plain miss, gzip miss, hit
    assert len(plain) >= 1024  # large enough to be compressed at all
    json.loads(plain)


def test_a_plain_client_gets_plain_json_on_miss_and_on_hit(
    client: TestClient, company: Engine
) -> None:
    bodies = []
    for _ in ("miss", "hit"):
        status, headers, body = _raw(client, DASHBOARD, PLAIN)
        assert status == 200
        assert "content-encoding" not in headers
        assert headers["content-type"] == "application/json"
        assert headers["vary"] == "Accept-Encoding"
        assert int(headers["content-length"]) == len(body)
        bodies.append(orjson.loads(body))
    assert bodies[0] == bodies[1]
    assert (_cache(client).misses, _cache(client).hits) == (1, 1)


def test_a_cached_answer_is_compressed_once_not_on_every_hit(
    client: TestClient, company: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = cache_module.compress

    def counting(body: bytes) -> bytes:
        calls.append(len(body))
        return real(body)

    monkeypatch.setattr(cache_module, "compress", counting)
    for _ in range(3):
        assert _raw(client, DASHBOARD, GZIP)[1]["content-encoding"] == "gzip"
        assert "content-encoding" not in _raw(client, DASHBOARD, PLAIN)[1]
    assert len(calls) == 1
    assert _cache(client).hits == 5


def test_a_matching_tag_is_answered_without_running_the_endpoint(
    client: TestClient, rows: Engine
) -> None:
    tag = client.get("/api/v1/alerts").headers["etag"]
    _cache(client).clear()  # not a cache hit: the 304 comes from the tag alone
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get("/api/v1/alerts", headers={"If-None-Match": tag})
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 304
    assert response.headers["cache-control"] == "no-cache"
    assert statements == []


def test_a_write_by_another_connection_is_visible_on_the_next_request(
    any_url: str, any_engine: Engine
) -> None:
    alert = {
        "type": "ops",
        "title": "Line 3 stopped",
        "severity": "high",
        "created_at": dt.datetime(2025, 6, 1, 9, 0),
    }
    with TestClient(create_app(Settings(database_url=any_url))) as client:
        first = client.get("/api/v1/alerts", headers=GZIP)
        assert first.json()["total"] == 0
        with any_engine.begin() as conn:  # like `execdash import` in another process
            conn.execute(schema.alerts.insert().values(id=1, **alert))
            record_data_change(conn, ["alerts"])
        second = client.get("/api/v1/alerts", headers=GZIP)
        assert second.json()["total"] == 1
        assert second.headers["etag"] != first.headers["etag"]
        again = client.get("/api/v1/alerts", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 200


def test_the_probe_connection_is_closed_at_shutdown(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        client.get("/api/v1/alerts")
        assert app.state.version_probe._conn is not None
    assert app.state.version_probe._conn is None


def test_locked_reads_are_compressed_once_and_tagged_after_auth(
    locked_client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    plain = locked_client.get(DASHBOARD, headers={**PLAIN, **bearer(tokens["viewer"])})
    status, headers, body = _raw(locked_client, DASHBOARD, {**GZIP, **bearer(tokens["viewer"])})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain.content
    assert headers["etag"] == plain.headers["etag"]
    denied = _raw(locked_client, DASHBOARD, {**GZIP, "If-None-Match": headers["etag"]})
    assert denied[0] == 401
    assert "etag" not in denied[1]


def test_writes_and_pages_pass_through_untagged(client: TestClient, rows: Engine) -> None:
    assert "etag" not in client.get("/").headers
    assert "etag" not in client.post("/api/v1/alerts/1/acknowledge").headers
    assert _cache(client).misses == 0


def test_a_slow_catch_up_delays_a_read_by_at_most_its_wait_and_finishes_at_shutdown(
    settings: Settings, rows: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import holding the derived tables makes a catch-up slow; readers answer from the raw
    rows after `CATCH_UP_WAIT_S` instead of waiting for it, and shutdown lets it finish."""
    from execdash.api import readlayer

    finished: list[bool] = []
    real = readlayer.catch_up_giving_way

    def slow_catch_up(engine: Engine) -> bool:
        time.sleep(1.5)
        done = real(engine)
        finished.append(done)
        return done

    with rows.begin() as conn:  # nothing stale to start with
        catch_up(conn)
    monkeypatch.setattr(readlayer, "catch_up_giving_way", slow_catch_up)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/alerts").status_code == 200
        with rows.begin() as conn:  # another program: its trigger leaves a stale mark
            conn.execute(sa.text("INSERT INTO user_events (event_type, event_time) "
                                 "VALUES ('drilldown', '2025-06-01 10:00:00')"))  # fmt: skip
        began = time.monotonic()
        answer = client.get("/api/v1/alerts?limit=1")
        waited = time.monotonic() - began
        assert answer.status_code == 200
        assert waited < 1.0, f"the read waited {waited:.2f} s for the catch-up"
        assert not finished  # still running when the read was answered
    assert finished == [True]  # shutdown waited for it
    with rows.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM execdash_stale")).scalar_one() == 0


def test_a_cache_hit_never_waits_for_a_catch_up(
    settings: Settings, rows: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stale marks left by another program's write outdate none of a cached answer's tables:
    the hit is answered at once, while a miss would give the slow catch-up its whole wait."""
    from execdash.api import readlayer

    release = threading.Event()
    real = readlayer.catch_up_giving_way

    def blocked_catch_up(engine: Engine) -> bool:
        release.wait(30)
        return real(engine)

    with rows.begin() as conn:
        catch_up(conn)
    monkeypatch.setattr(readlayer, "catch_up_giving_way", blocked_catch_up)
    monkeypatch.setattr(readlayer, "CATCH_UP_WAIT_S", 20.0)
    try:
        with TestClient(create_app(settings)) as client:
            first = client.get("/api/v1/customers?limit=5")
            with rows.begin() as conn:  # another program: only user_events changes
                conn.execute(sa.text("INSERT INTO user_events (event_type, event_time) "
                                     "VALUES ('drilldown', '2025-06-01 10:00:00')"))  # fmt: skip
            began = time.monotonic()
            hit = client.get("/api/v1/customers?limit=5")
            waited = time.monotonic() - began
            assert hit.status_code == 200
            assert hit.content == first.content
            assert hit.headers["etag"] == first.headers["etag"]
            assert waited < 5.0, f"the hit waited {waited:.2f} s for the catch-up"
            assert _cache(client).hits >= 1
            release.set()
    finally:
        release.set()


def test_uncached_answers_wait_for_a_compute_slot_while_health_answers(
    settings: Settings, company: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one slot, four uncached overviews are computed one after another; the others wait
    on the loop without a thread, and a health check meanwhile is answered at once."""
    import asyncio
    import threading

    import httpx2

    from execdash.api.routes import dashboard
    from tests.live_server import serving

    running: list[int] = [0]
    most: list[int] = [0]
    lock = threading.Lock()
    real = dashboard.retention.at_risk

    def slow_at_risk(conn: sa.Connection) -> object:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return real(conn)

    monkeypatch.setattr(dashboard.retention, "at_risk", slow_at_risk)
    one_slot = Settings(database_url=settings.database_url, read_concurrency=1)

    async def load(base: str) -> tuple[list[int], float]:
        async with httpx2.AsyncClient(base_url=base, timeout=30) as client:
            ranges = ("3m", "6m", "12m", "24m")
            reads = [
                asyncio.create_task(client.get(f"/api/v1/dashboard?range={r}")) for r in ranges
            ]
            await asyncio.sleep(0.1)
            began = time.perf_counter()
            assert (await client.get("/api/health")).status_code == 200
            health = time.perf_counter() - began
            return [(await read).status_code for read in reads], health

    with serving(one_slot) as base:
        statuses, health = asyncio.run(load(base))
    assert statuses == [200] * 4
    assert most[0] == 1  # never two overviews computed at once
    assert health < 0.25
