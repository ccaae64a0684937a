"""`POST /api/events` stores the seed front end's usage events; bad bodies are 400s."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.db.schema import user_events


def test_event_is_logged_with_its_time(client: TestClient, engine: Engine) -> None:
    response = client.post(
        "/api/events",
        json={"event_type": "drilldown", "event_time": "2025-08-01T10:00:00Z", "meta": {"k": 1}},
    )
    assert response.status_code == 200
    assert response.json() == {"status": "logged"}
    with engine.connect() as conn:
        row = conn.execute(sa.select(user_events.c.event_type, user_events.c.event_time)).one()
    assert tuple(row) == ("drilldown", dt.datetime(2025, 8, 1, 10, 0))


def test_an_event_refreshes_only_its_days_rollup(client: TestClient, engine: Engine) -> None:
    from execdash.db import tables as t
    from execdash.db.changes import record_data_change

    with engine.begin() as conn:
        record_data_change(conn, ["user_events"])
        # A rollup row of another day with no raw rows behind it: a whole-table rebuild would
        # drop it, a refresh of the event's own day must not touch it.
        conn.execute(
            t.rollup_user_events_day.insert().values(day="2025-07-01", event_type="login", events=9)
        )
    for hour in (10, 11):
        when = f"2025-08-01T{hour}:00:00Z"
        assert client.post(
            "/api/events", json={"event_type": "drilldown", "event_time": when}
        ).is_success
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.rollup_user_events_day).order_by("day")).all()
    assert [tuple(r) for r in rows] == [("2025-07-01", "login", 9), ("2025-08-01", "drilldown", 2)]


def test_event_without_time_is_stamped_now(client: TestClient, engine: Engine) -> None:
    assert (
        client.post("/api/events", json={"event_type": "export_csv", "meta": {}}).status_code == 200
    )
    with engine.connect() as conn:
        stamped = conn.execute(sa.select(user_events.c.event_time)).scalar_one()
    assert abs(stamped - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"event_type": "hack"}', "is not one of"),
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"event_type": "drilldown", "event_time": "yesterday"}', "ISO 8601"),
        (b'{"event_type": "drilldown", "meta": 5}', "meta"),
    ],
)
def test_bad_event_is_400_with_message(
    client: TestClient, engine: Engine, body: bytes, message: str
) -> None:
    response = client.post(
        "/api/events", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    # the seed front end only reads error bodies whose content type contains application/json
    assert response.headers["content-type"].startswith("application/json")
    assert message in response.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_events)).scalar() == 0


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: was a 500
        "2999-12-31T00:00:00Z",  # was stored
        "1999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
    ],
)
def test_event_time_outside_the_sane_range_is_400_naming_the_field(
    client: TestClient, engine: Engine, when: str
) -> None:
    response = client.post("/api/events", json={"event_type": "drilldown", "event_time": when})
    assert response.status_code == 400
    assert "event_time" in response.json()["detail"]
    assert "2000-01-01" in response.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_events)).scalar() == 0


def test_event_time_up_to_a_day_ahead_is_accepted(client: TestClient) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=23)).isoformat()
    old = "2000-01-01T00:00:00Z"
    for when in (soon, old):
        response = client.post("/api/events", json={"event_type": "drilldown", "event_time": when})
        assert response.status_code == 200, response.text


def test_oversized_meta_is_400(client: TestClient) -> None:
    meta = {"note": "x" * 5000}
    response = client.post("/api/events", json={"event_type": "drilldown", "meta": meta})
    assert response.status_code == 400
    assert "meta is larger than 4,096 bytes" in response.json()["detail"]


def test_oversized_body_is_413_without_storing(client: TestClient, engine: Engine) -> None:
    body = b'{"event_type": "drilldown", "pad": "' + b"x" * 20_000 + b'"}'
    response = client.post(
        "/api/events", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "16,384 bytes" in response.json()["detail"]
    streamed = client.post(
        "/api/events",
        content=iter([body[:10_000], body[10_000:]]),  # no Content-Length: counted as read
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_events)).scalar() == 0
