"""`POST /api/events` keeps the `meta` the seed front end sends, in `user_event_meta`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api.event_meta import entries
from execdash.db.compat_tables import user_event_meta
from execdash.db.schema import user_events


def _meta(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = sa.select(
            user_event_meta.c.event_id, user_event_meta.c.metric, user_event_meta.c.v,
            user_event_meta.c.raw,
        ).order_by(user_event_meta.c.event_id, user_event_meta.c.metric)  # fmt: skip
        return [tuple(r) for r in conn.execute(query)]


def test_the_seed_ui_events_land_in_both_tables(client: TestClient, engine: Engine) -> None:
    client.post("/api/events", json={"event_type": "drilldown", "meta": {"ai_latency_ms": 60}})
    client.post(
        "/api/events", json={"event_type": "alert_click", "meta": {"id": "2", "type": "ops"}}
    )
    client.post("/api/events", json={"event_type": "export_csv"})
    with engine.connect() as conn:
        ids = conn.execute(sa.select(user_events.c.id).order_by(user_events.c.id)).scalars().all()
    assert len(ids) == 3
    assert _meta(engine) == [
        (ids[0], "ai_latency_ms", 60.0, "60"),
        (ids[1], "id", 2.0, "2"),
        (ids[1], "type", None, "ops"),
    ]


@pytest.mark.parametrize(
    ("value", "number", "raw"),
    [(1.5, 1.5, "1.5"), ("12", 12.0, "12"), (True, None, "true"), ([1], None, "[1]"),
     ("NaN", None, "NaN"), (None, None, "null")],
)  # fmt: skip
def test_only_finite_numbers_fill_v(value: object, number: float | None, raw: str) -> None:
    assert entries({"m": value}) == [{"metric": "m", "v": number, "raw": raw}]
