"""An in-process GET reaches the app as a server's request would: routing, query, headers."""

from __future__ import annotations

import gzip
import json
from collections.abc import MutableMapping
from typing import Any

import anyio
from starlette.types import Message

from execdash.api import create_app
from execdash.api.inner_get import get_scope
from execdash.config import Settings


def _ask(settings: Settings, path: str, query: str, headers: list[tuple[bytes, bytes]]) -> Any:
    app = create_app(settings)
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await app(get_scope(path, query, headers), receive, send)

    anyio.run(run)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def test_a_get_scope_is_routed_with_its_query_and_headers(settings: Settings) -> None:
    status, headers, body = _ask(settings, "/api/v1/kpis", "range=3m", [(b"host", b"localhost")])
    assert status == 200
    assert json.loads(body)["timeframe"]["range"] == "3m"
    assert b"content-encoding" not in headers  # no Accept-Encoding: plain JSON
    zipped = _ask(settings, "/api/v1/kpis", "range=6m", [(b"accept-encoding", b"gzip")])
    assert zipped[1][b"content-encoding"] == b"gzip"
    assert json.loads(gzip.decompress(zipped[2]))["timeframe"]["range"] == "6m"
    assert _ask(settings, "/api/v1/kpis", "range=7m", [])[0] == 422
