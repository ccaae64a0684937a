"""Cookie writes of the seed front end: same-origin JSON only; other origins are refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.db.compat_tables import messages
from tests.api.conftest import bearer
from tests.api.seed_front import ORIGIN, client_for, is_json_error, login

NOTE = {"title": "t", "content": "x"}


@pytest.fixture
def client(engine: Engine, sqlite_url: str, tokens: dict[str, str]) -> TestClient:
    del engine, tokens
    return next(client_for(sqlite_url))


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(messages)).scalar_one())


@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        ({"Origin": "https://evil.example"}, 403, "Cross-origin write refused"),
        ({"Origin": "null"}, 403, "Cross-origin write refused"),
        ({"Referer": "https://evil.example/page"}, 403, "Cross-origin write refused"),
        ({"Origin": "http://testserver.evil.example"}, 403, "Cross-origin write refused"),
        ({}, 403, "no Origin or Referer"),
    ],
)
def test_a_cookie_write_from_elsewhere_is_refused(
    client: TestClient, engine: Engine, headers: dict[str, str], status: int, says: str
) -> None:
    login(client)
    response = client.post("/api/messages", json=NOTE, headers=headers)
    assert says in is_json_error(response, status)
    assert _count(engine) == 0


def test_a_cross_site_form_cannot_write(client: TestClient, engine: Engine) -> None:
    login(client)
    form = client.post(
        "/api/messages",
        content=b'{"title": "t", "content": "x"}',
        headers={"Origin": ORIGIN, "Content-Type": "text/plain"},
    )
    assert "Content-Type: application/json" in is_json_error(form, 415)
    assert _count(engine) == 0


def test_same_origin_by_referer_and_tokens_without_origin_are_allowed(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    login(client)
    by_referer = client.post("/api/messages", json=NOTE, headers={"Referer": f"{ORIGIN}/messages"})
    assert by_referer.status_code == 201
    client.cookies.clear()
    script = client.post("/api/messages", json=NOTE, headers=bearer(tokens["editor"]))
    assert script.status_code == 201
    assert _count(engine) == 2
