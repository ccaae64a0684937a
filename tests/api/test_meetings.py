"""`/api/meetings…`: the seed front end's calendar on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.api.seed_front import UI, is_json_error, login, make_client, send

BOARD = {"title": "Board prep", "description": "Q4", "start_time": "2026-11-30T09:00:00.000Z",
         "end_time": "2026-11-30T10:00:00.000Z", "location": "Room 1", "attendees": "a, b",
         "category": "meeting"}  # fmt: skip
FIELDS = {"id": int, "title": str, "start_time": str, "end_time": str, "category": str}


@pytest.fixture
def client(any_engine: Engine, any_url: str) -> Iterator[TestClient]:
    yield from make_client(any_engine, any_url)


def test_an_empty_calendar_is_an_empty_list(client: TestClient) -> None:
    response = client.get("/api/meetings?start_date=2026-11-01&end_date=2026-11-30", headers=UI)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == []


def test_meetings_are_listed_by_the_day_they_start(client: TestClient) -> None:
    login(client)
    created = send(client, "POST", "/api/meetings", BOARD)
    assert created.status_code == 201, created.text
    meeting = created.json()
    for field, kind in FIELDS.items():
        assert isinstance(meeting[field], kind), field
    assert meeting["start_time"] == "2026-11-30T09:00:00Z"
    late = {**BOARD, "title": "Late", "start_time": "2026-12-01T00:00:00Z",
            "end_time": "2026-12-01T01:00:00Z", "category": "personal"}  # fmt: skip
    send(client, "POST", "/api/meetings", late)

    def titles(query: str) -> list[str]:
        return [m["title"] for m in client.get(f"/api/meetings?{query}").json()]

    assert titles("start_date=2026-11-01&end_date=2026-11-30") == ["Board prep"]
    assert titles("start_date=2026-11-30&end_date=2026-11-30") == ["Board prep"]
    assert titles("start_date=2026-11-30&end_date=2026-12-01") == ["Board prep", "Late"]
    assert titles("start_date=2026-12-01&end_date=2026-12-01") == ["Late"]


def test_an_edit_keeps_absent_fields_and_a_delete_removes(client: TestClient) -> None:
    login(client)
    meeting = send(client, "POST", "/api/meetings", BOARD).json()
    edited = send(client, "PUT", f"/api/meetings/{meeting['id']}", {
        "title": "Board prep v2", "start_time": "2026-11-30T09:30:00.000Z",
        "end_time": "2026-11-30T10:30:00.000Z", "category": "meeting"})  # fmt: skip
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["title"], body["location"], body["description"]) == (
        "Board prep v2",
        "Room 1",
        "Q4",
    )
    assert body["end_time"] == "2026-11-30T10:30:00Z"
    assert send(client, "DELETE", f"/api/meetings/{meeting['id']}").status_code == 204
    gone = send(client, "PUT", f"/api/meetings/{meeting['id']}", {"title": "x"})
    assert is_json_error(gone, 404) == f"Meeting {meeting['id']} not found."


def test_an_end_before_the_start_is_a_clear_400(client: TestClient) -> None:
    login(client)
    backwards = {**BOARD, "end_time": "2026-11-30T08:00:00Z"}
    message = is_json_error(send(client, "POST", "/api/meetings", backwards), 400)
    assert "end_time" in message
    assert "after start_time" in message
    meeting = send(client, "POST", "/api/meetings", BOARD).json()
    moved = send(
        client, "PUT", f"/api/meetings/{meeting['id']}", {"start_time": "2026-11-30T11:00:00Z"}
    )
    assert "after start_time" in is_json_error(moved, 400)
    bad_day = client.get("/api/meetings?start_date=2026-11-31&end_date=2026-11-30")
    assert "start_date" in is_json_error(bad_day, 422)
    reversed_range = client.get("/api/meetings?start_date=2026-11-30&end_date=2026-11-01")
    assert "before start_date" in is_json_error(reversed_range, 400)
