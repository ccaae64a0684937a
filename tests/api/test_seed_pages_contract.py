"""Every call the seed front end's inbox, calendar, profile and settings pages make, on the demo
company and on an empty database: status, content type, and each field it reads with its type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.api.seed_front import UI, login, make_client, send

MESSAGE = {"id": int, "title": str, "content": str, "sender": str, "priority": str,
           "read": bool, "archived": bool, "created_at": str}  # fmt: skip
MEETING = {"id": int, "title": str, "start_time": str, "end_time": str, "location": str,
           "attendees": str, "category": str, "description": str}  # fmt: skip
PROFILE = {"name": str, "email": str, "role": str, "department": str, "timezone": str,
           "created_at": str, "updated_at": str}  # fmt: skip
SETTINGS = {"theme": str, "notifications_enabled": bool, "email_notifications": bool,
            "language": str, "date_format": str, "time_format": str}  # fmt: skip


@pytest.fixture(params=["demo", "empty"])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client on the demo company, then on a migrated database without data."""
    engine: Engine = request.getfixturevalue("demo_engine" if request.param == "demo" else "engine")
    yield from make_client(engine, str(engine.url))


def _typed(body: Any, fields: dict[str, type]) -> None:
    for field, kind in fields.items():
        assert isinstance(body[field], kind), (field, body[field])
    for field in ("created_at", "updated_at", "start_time", "end_time"):
        if isinstance(body.get(field), str):
            assert str(body[field]).endswith("Z"), field  # the UI parses these with Date


def _json(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_every_page_call_answers_the_fields_the_ui_reads(client: TestClient) -> None:
    assert _json(client.get("/api/messages/unread-count", headers=UI)) == {"count": 0}
    assert _json(client.get("/api/messages?read=false&archived=false&limit=5", headers=UI)) == []
    login(client)
    note = {"title": "Q3 close", "content": "Numbers are in", "priority": "normal"}
    posted = _json(send(client, "POST", "/api/messages", note), 201)
    assert isinstance(posted, dict)
    _typed(posted, MESSAGE)
    for query in (
        "?read=false&archived=false&limit=5",
        "?archived=false",
        "?read=false&archived=false",
    ):
        listed = _json(client.get(f"/api/messages{query}", headers=UI))
        assert isinstance(listed, list)
        assert len(listed) == 1
        _typed(listed[0], MESSAGE)
    assert _json(client.get("/api/messages/unread-count")) == {"count": 1}
    _typed(_json(send(client, "POST", f"/api/messages/{posted['id']}/mark-read")), MESSAGE)
    assert _json(send(client, "POST", "/api/messages/mark-all-read"))["status"] == "success"
    assert send(client, "DELETE", f"/api/messages/{posted['id']}").status_code == 204

    meeting = {"title": "Board prep", "description": "Q4", "start_time": "2026-11-30T09:00:00.000Z",
               "end_time": "2026-11-30T10:00:00.000Z", "location": "Room 1",
               "attendees": "a, b", "category": "meeting"}  # fmt: skip
    created = _json(send(client, "POST", "/api/meetings", meeting), 201)
    _typed(created, MEETING)
    month = _json(client.get("/api/meetings?start_date=2026-10-31&end_date=2026-11-30", headers=UI))
    assert isinstance(month, list)
    assert len(month) == 1
    _typed(month[0], MEETING)
    _typed(_json(send(client, "PUT", f"/api/meetings/{created['id']}", meeting)), MEETING)
    assert send(client, "DELETE", f"/api/meetings/{created['id']}").status_code == 204

    profile = {"name": "Dana Exec", "email": "dana@example.com", "avatar_url": "", "role": "CFO",
               "department": "Finance", "phone": "", "timezone": "Europe/London"}  # fmt: skip
    _typed(_json(send(client, "PUT", "/api/users/me", profile)), PROFILE)
    _typed(_json(client.get("/api/users/me", headers=UI)), PROFILE)
    _typed(_json(client.get("/api/users/me/settings", headers=UI)), SETTINGS)
    chosen = {"theme": "dark", "notifications_enabled": True, "email_notifications": False,
              "language": "fr", "date_format": "DD/MM/YYYY", "time_format": "12h"}  # fmt: skip
    assert _json(send(client, "PUT", "/api/users/me/settings", chosen)) == chosen
