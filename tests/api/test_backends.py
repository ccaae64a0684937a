"""The API's own SQL (auth, lists, NULL ordering, writes) behaves the same on both databases."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.accounts import add_user, create_token
from execdash.config import Settings
from execdash.db import schema
from tests.api.conftest import PASSWORD, bearer


def test_api_round_trip_on_each_backend(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        add_user(conn, "ed", PASSWORD, "editor")
        token = create_token(conn, "ed", expires_days=1)
        conn.execute(
            schema.risks.insert(),
            [{"title": "No due date", "owner": "CFO", "due": None, "status": "open"},
             {"title": "Late", "owner": "COO", "due": dt.date(2020, 1, 1), "status": "open"},
             {"title": "Later", "owner": "COO", "due": dt.date(2099, 1, 1), "status": "closed"}],
        )  # fmt: skip
        conn.execute(
            schema.retention_at_risk.insert(),
            [{"customer": "Pct", "mrr": 100.0, "risk": 50.0},
             {"customer": "Ratio", "mrr": 300.0, "risk": 0.2}],
        )  # fmt: skip
    url = any_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        risks = client.get("/api/v1/risks").json()["items"]
        assert [(r["title"], r["overdue"]) for r in risks] == [
            ("Late", True), ("Later", False), ("No due date", False),
        ]  # fmt: skip
        newest_due = [r["title"] for r in client.get("/api/v1/risks?sort=-due").json()["items"]]
        assert newest_due == ["Later", "Late", "No due date"]  # no due date last either way
        at_risk = client.get("/api/v1/at-risk-customers").json()["items"]
        assert [(c["customer"], c["expected_loss"]) for c in at_risk] == [
            ("Ratio", 60.0), ("Pct", 50.0),
        ]  # fmt: skip
        auth = bearer(token)
        created = client.post("/api/v1/alerts", json={"type": "ops", "title": "T"}, headers=auth)
        assert created.status_code == 201
        alert_id = created.json()["id"]
        assert client.post(f"/api/v1/alerts/{alert_id}/close", headers=auth).status_code == 200
        assert client.get("/api/v1/alerts?status=closed").json()["total"] == 1
        assert client.get("/api/v1/customers?q=x").json()["total"] == 0
        assert client.post("/api/events", json={"event_type": "alert_click"}).status_code == 200
        login = client.post("/api/v1/auth/login", json={"username": "ed", "password": PASSWORD})
        assert login.status_code == 200
        assert client.get("/api/v1/dashboard").status_code == 200
