"""A table named like one of the seed backend's side tables but of another shape is named in a
409 sentence on the routes that use it, never a 500, and the rest of execdash keeps working."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from execdash.api import sidetables
from execdash.db import migrate
from execdash.db.engine import create_engine
from tests.api.seed_front import UI, add_roles, client_for, is_json_error, login, send

FOREIGN = {
    "messages": "CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)",
    "meetings": "CREATE TABLE meetings (id INTEGER PRIMARY KEY, room TEXT)",
    "user_settings": "CREATE TABLE user_settings (user_id INTEGER PRIMARY KEY, skin TEXT)",
    "user_event_meta": "CREATE TABLE user_event_meta (event_id INTEGER, k TEXT)",
}


def _adopt(url: str, *ddl: str) -> None:
    """A database holding `ddl`'s tables (with a row each), then upgraded by execdash."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for sql in ddl:
            conn.execute(sa.text(sql))
    migrate.upgrade(engine)
    add_roles(engine)
    engine.dispose()


@pytest.fixture
def foreign(any_url: str) -> Iterator[TestClient]:
    """A client on a database whose four side tables belong to some other program."""
    _adopt(any_url, *FOREIGN.values())
    yield from client_for(any_url)


def _names(response: object, table: str, columns: str) -> None:
    message = is_json_error(response, 409)
    assert f"The {table} table" in message
    assert f"no column {columns}" in message
    assert "execdash db upgrade" in message


def test_each_route_names_the_table_it_cannot_use(foreign: TestClient) -> None:
    _names(foreign.get("/api/messages/unread-count", headers=UI), "messages", "'title', 'content'")
    _names(foreign.get("/api/messages?archived=false", headers=UI), "messages", "'title'")
    days = "/api/meetings?start_date=2026-11-01&end_date=2026-11-30"
    _names(foreign.get(days, headers=UI), "meetings", "'title', 'description'")
    login(foreign)
    chosen = {"theme": "dark", "notifications_enabled": True, "email_notifications": False,
              "language": "fr", "date_format": "DD/MM/YYYY", "time_format": "12h"}  # fmt: skip
    saved = send(foreign, "PUT", "/api/users/me/settings", chosen)
    _names(saved, "user_settings", "'theme'")
    event = {"event_type": "drilldown", "meta": {"ai_latency_ms": 60}}
    _names(foreign.post("/api/events", json=event), "user_event_meta", "'metric', 'v', 'raw'")
    assert foreign.get("/api/users/me", headers=UI).status_code == 200, "users is usable"
    assert foreign.get("/api/executive-dashboard").status_code == 200
    assert foreign.get("/api/search?q=revenue&limit=10").status_code == 200


def test_a_required_column_execdash_cannot_fill_is_named(any_url: str) -> None:
    _adopt(
        any_url,
        "CREATE TABLE messages (id INTEGER PRIMARY KEY, title TEXT NOT NULL, content TEXT NOT "
        "NULL, sender TEXT, recipient_id INTEGER, priority TEXT NOT NULL DEFAULT 'normal', "
        "read BOOLEAN NOT NULL DEFAULT FALSE, archived BOOLEAN NOT NULL DEFAULT FALSE, "
        "created_at TIMESTAMP, updated_at TIMESTAMP, tenant TEXT NOT NULL)",
    )
    for client in client_for(any_url):
        assert client.get("/api/messages/unread-count", headers=UI).json() == {"count": 0}
        login(client)
        posted = send(client, "POST", "/api/messages", {"title": "Hi", "content": "Body"})
        message = is_json_error(posted, 409)
        assert "its column 'tenant' must be filled" in message


def test_usable_side_tables_are_no_conflict(any_url: str) -> None:
    _adopt(any_url)
    engine = create_engine(any_url)
    assert sidetables.conflict(engine, None) is None
    assert sidetables.conflict(engine, "SELECT count(*) FROM messages") is None
    engine.dispose()
