"""A read endpoint opens its connection, resolves its window and answers in one worker thread."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app, health, imports
from execdash.api.deps import ReadConn
from execdash.api.inner_get import get_scope
from execdash.api.onethread import REQUEST, ReadRoute, in_one_thread
from execdash.api.routes import ROUTERS
from execdash.api.window import WindowParam
from execdash.config import Settings


def _calls(route: APIRoute) -> list[Any]:
    found: list[Any] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        found.append(dependency.call)
        pending += dependency.dependencies
    return found


def _is_async(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004 (HTTPBearer and the like)
    )


def test_every_read_route_crosses_to_a_worker_thread_at_most_once() -> None:
    gets = [
        route
        for router in (*ROUTERS, imports.router, health.router)
        for route in router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods
    ]
    assert len(gets) > 50
    for route in gets:
        assert _is_async(route.dependant.call), f"{route.path}: its endpoint is a thread hop"
        hops = [c for c in _calls(route) if not _is_async(c)]
        assert not hops, f"{route.path}: dependencies run in threads of their own: {hops}"


def _app(engine: Engine, seen: dict[str, Any]) -> FastAPI:
    router = APIRouter(route_class=ReadRoute)

    @router.get("/window")
    def window(conn: ReadConn, window: WindowParam, extra: int = 1) -> dict[str, Any]:
        seen["thread"] = threading.get_ident()
        seen["conn"] = conn
        seen["customers"] = conn.execute(sa.text("SELECT count(*) FROM customers")).scalar()
        return {"as_of": window.as_of, "periods": len(window.periods), "extra": extra}

    app = FastAPI()
    app.state.engine = engine
    app.include_router(router)
    return app


def test_the_connection_and_window_are_given_in_a_worker_thread_and_closed_after(
    demo_engine: Engine,
) -> None:
    seen: dict[str, Any] = {}
    with TestClient(_app(demo_engine, seen)) as client:
        answer = client.get("/window?range=6m&granularity=quarter&as_of=2026-06&extra=3")
    assert answer.status_code == 200
    assert answer.json() == {"as_of": "2026-06", "periods": 2, "extra": 3}
    assert seen["thread"] != threading.get_ident()
    assert seen["customers"] > 0
    assert seen["conn"].closed


def test_a_bad_window_is_a_422_naming_its_parameter(demo_engine: Engine) -> None:
    with TestClient(_app(demo_engine, {})) as client:
        pattern = client.get("/window?as_of=2026-13")
        unknown = client.get("/window?compare=budget")  # refused when the window is resolved
    assert pattern.status_code == 422
    assert pattern.json()["detail"][0]["loc"] == ["query", "as_of"]
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "compare"]
    assert "budget" in unknown.json()["detail"][0]["msg"]


def test_compare_plan_without_an_active_plan_is_a_409(demo_engine: Engine) -> None:
    with TestClient(create_app(Settings(database_url=str(demo_engine.url)))) as client:
        answer = client.get("/api/v1/products?compare=plan")
    assert answer.status_code == 409
    assert "needs an active plan" in answer.json()["detail"]


def test_the_documented_parameters_are_the_endpoints_own_and_the_windows() -> None:
    seen: dict[str, Any] = {}
    app = _app(sa.create_engine("sqlite://"), seen)
    parameters = app.openapi()["paths"]["/window"]["get"]["parameters"]
    names = [p["name"] for p in parameters]
    assert sorted(names) == ["as_of", "compare", "extra", "granularity", "range"]
    assert REQUEST not in names


def test_an_endpoint_reading_nothing_is_left_as_it_is() -> None:
    def plain(extra: int = 1) -> int:
        return extra

    assert in_one_thread(plain) is plain


def test_an_async_endpoint_taking_a_read_connection_is_refused() -> None:
    async def on_the_loop(conn: ReadConn) -> None:
        del conn

    with pytest.raises(TypeError, match="must be a plain def"):
        in_one_thread(on_the_loop)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Callable[..., Any]]:
    ran: list[Callable[..., Any]] = []
    original = anyio.to_thread.run_sync

    async def counted(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        ran.append(function)
        return await original(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return ran


async def _get(app: FastAPI, path: str, query: str) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(get_scope(path, query, [(b"host", b"127.0.0.1")]), receive, send)
    return status


def test_an_uncached_domain_answer_takes_one_thread_hop(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(Settings(database_url=str(demo_engine.url)))

    async def scenario() -> tuple[int, int]:
        async with app.router.lifespan_context(app):
            await _get(app, "/api/v1/products", "")  # pools, imports, the version probe
            ran = _counting(monkeypatch)
            status = await _get(app, "/api/v1/products", "range=6m&as_of=2026-04")
            return status, len(ran)

    status, hops = asyncio.run(scenario())
    assert status == 200
    assert hops == 1


def test_a_windowed_endpoint_sees_the_window_it_was_asked_for(demo_engine: Engine) -> None:
    with TestClient(create_app(Settings(database_url=str(demo_engine.url)))) as client:
        answer = client.get("/api/v1/products?range=3m&granularity=month&as_of=2026-04")
    assert answer.status_code == 200
    timeframe = answer.json()["timeframe"]
    assert (timeframe["range"], timeframe["as_of"]) == ("3m", "2026-04")
