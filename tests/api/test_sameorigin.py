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


MEETING = {"title": "Board prep", "start_time": "2026-11-30T09:00:00.000Z",
           "end_time": "2026-11-30T10:00:00.000Z", "category": "meeting"}  # fmt: skip
PROFILE = {"name": "Dana", "email": "dana@example.com", "avatar_url": "", "role": "CFO",
           "department": "", "phone": "", "timezone": ""}  # fmt: skip
SETTINGS = {"theme": "dark", "notifications_enabled": True, "email_notifications": False,
            "language": "fr", "date_format": "DD/MM/YYYY", "time_format": "12h"}  # fmt: skip
UI_WRITES = [
    ("POST", "/api/messages", NOTE),
    ("POST", "/api/messages/1/mark-read", {}),
    ("POST", "/api/messages/mark-all-read", {}),
    ("DELETE", "/api/messages/1", {}),
    ("POST", "/api/meetings", MEETING),
    ("PUT", "/api/meetings/1", MEETING),
    ("DELETE", "/api/meetings/1", {}),
    ("PUT", "/api/users/me", PROFILE),
    ("PUT", "/api/users/me/settings", SETTINGS),
]
"""Every write the seed front end makes (I1, I2, A3, I3, H2, H3, H4, J1, K2), as it sends it."""


@pytest.mark.parametrize(("method", "path", "body"), UI_WRITES)
def test_every_write_of_that_front_end_needs_an_editor_on_this_origin(
    client: TestClient, engine: Engine, method: str, path: str, body: dict[str, object]
) -> None:
    with engine.begin() as conn:  # message 1 and meeting 1 exist, so only the guard can refuse
        conn.execute(messages.insert().values(id=1, title="t", content="x"))
        conn.execute(sa.text(
            "INSERT INTO meetings (id, title, start_time, end_time) "
            "VALUES (1, 'm', '2026-11-30 08:00:00', '2026-11-30 09:00:00')"))  # fmt: skip

    def write(origin: str) -> object:
        return client.request(method, path, json=body, headers={"Origin": origin})

    assert "Log in" in is_json_error(write(ORIGIN), 401)
    login(client, "viewer")
    assert "editor role" in is_json_error(write(ORIGIN), 403)
    login(client)
    assert "Cross-origin write refused" in is_json_error(write("https://evil.example"), 403)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT title, read FROM messages")).all()
        meetings = conn.execute(sa.text("SELECT title FROM meetings")).all()
        profiles = conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one()
    assert (rows, meetings, profiles) == ([("t", False)], [("m",)], 0), "nothing was written"
    allowed = write(ORIGIN)
    assert allowed.status_code in (200, 201, 204), allowed.text
