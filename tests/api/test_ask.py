"""POST /api/ai-summary answers the seed front end's "Ask AI" panel from our own numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import schema as s

READ = ("summary", "highlights", "cautions", "actions")


def company(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(s.revenue_trend.insert(), [
            {"period": f"2025-{m:02d}", "recognized": 100 if m <= 6 else 150, "booked": 100,
             "backlog": 500} for m in range(1, 13)
        ])  # fmt: skip
        conn.execute(s.alerts.insert(), [
            {"id": 1, "type": "ops", "title": "Line 3 stopped", "severity": "high",
             "created_at": dt.datetime(2025, 12, 1)},
        ])  # fmt: skip


def ask(client: TestClient, question: str, data: Any = None) -> dict[str, Any]:
    response = client.post("/api/ai-summary", json={"provider": "auto", "question": question,
                                                    "data": data})  # fmt: skip
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["summary"], str)
    for key in READ[1:]:
        assert isinstance(body[key], list)
        assert all(isinstance(item, str) for item in body[key])
    return body


def test_questions_are_answered_for_the_window_the_panel_shows(any_engine: Engine) -> None:
    company(any_engine)
    url = any_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        dashboard = client.get("/api/executive-dashboard?range=6m").json()
        six = ask(client, "why did revenue move?", dashboard)
        assert six["summary"] == "Revenue rose 50.0% to £900."
        assert six["meta"]["timeframe"]["range"] == "6m"
        assert six["source"] == "execdash-rules"
        twelve = ask(client, "Why did revenue move?", None)
        assert twelve["summary"] == "Revenue is £1.5K (no previous window to compare with)."
        worry = ask(client, "What should I worry about?", {"anything": "the panel holds"})
        assert worry["summary"] == "1 open alert, 1 of them high: «Line 3 stopped»."
        assert worry["actions"] == [
            "Review the high-severity ops alert «Line 3 stopped».",
            "Book-to-bill is 0.80×: bookings are below billings, so the backlog is shrinking; "
            "push pipeline conversion.",
        ]
        unknown = ask(client, "Is it raining?", dashboard)
        assert unknown["meta"]["understood"] is False
        assert unknown["summary"].startswith("I did not understand the question.")


def test_a_locked_installation_refuses_an_anonymous_question(
    sqlite_url: str, engine: Engine
) -> None:
    with TestClient(create_app(Settings(database_url=sqlite_url, read_requires_login=True))) as c:
        assert c.post("/api/ai-summary", json={"question": "revenue?"}).status_code == 401


def test_a_blank_or_missing_question_is_a_422_naming_the_field(any_engine: Engine) -> None:
    url = any_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        for body in ({"question": "   ", "data": None}, {"data": None}, {"question": "x" * 2001}):
            response = client.post("/api/ai-summary", json=body)
            assert response.status_code == 422
            assert "question" in response.text
        empty = ask(client, "how is revenue?")
        assert empty["summary"] == "There is nothing in this window's data about revenue."
