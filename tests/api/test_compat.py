"""The seed front end's endpoints, field by field, on the hand-built company."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.routes.compat import CompatAlert
from execdash.config import Settings
from execdash.db import schema

Q = "?range=6m&as_of=2025-06"


def test_executive_dashboard_contract(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/executive-dashboard{Q}").json()
    assert list(body) == ["timeframe", "executiveKpis", "revenueTrend", "alerts", "risks"]
    assert body["timeframe"] == {
        "range": "6m", "start_date": "2025-01-01", "end_date": "2025-06-30", "granularity": "month",
    }  # fmt: skip
    kpis = body["executiveKpis"]
    assert [k["key"] for k in kpis] == [
        "revenue", "backlog", "uptime", "nrr", "gm", "payback", "book_to_bill", "coverage_months",
        "arr", "forecast",
    ]  # fmt: skip
    assert all(list(k) == ["key", "label", "value", "unit", "delta", "direction"] for k in kpis)
    by_key = {k["key"]: k for k in kpis}
    assert by_key["revenue"]["value"] == 1300.0
    assert by_key["revenue"]["unit"] == "£"
    assert by_key["revenue"]["delta"] is None  # no data before 2025-01
    assert by_key["revenue"]["direction"] == "flat"
    assert by_key["coverage_months"]["unit"] == "mo"
    assert by_key["gm"]["unit"] == "ratio"
    assert body["revenueTrend"][0] == {
        "period": "2025-01", "recognized": 100.0, "booked": 120.0, "backlog": 500.0,
    }  # fmt: skip
    assert len(body["revenueTrend"]) == 6
    assert body["alerts"][0] == {
        "id": 2, "type": "supply", "title": "Late resin", "description": None, "severity": "low",
        "created_at": "2025-06-03T09:00:00Z",
    }  # fmt: skip
    assert body["risks"][0] == {
        "id": 3, "title": "Old audit finding", "owner": "CFO", "due": "2020-06-30",
        "mitigation": None, "status": "closed",
    }  # fmt: skip


def test_defaults_are_12m_month(client: TestClient, company: Engine) -> None:
    timeframe = client.get("/api/executive-dashboard").json()["timeframe"]
    assert timeframe == {
        "range": "12m", "start_date": "2024-07-01", "end_date": "2025-06-30",
        "granularity": "month",
    }  # fmt: skip


def test_currency_symbol_follows_settings(settings: Settings, company: Engine) -> None:
    usd = Settings(database_url=settings.database_url, currency="USD")
    with TestClient(create_app(usd)) as client:
        kpis = client.get("/api/executive-dashboard").json()["executiveKpis"]
    assert kpis[0]["unit"] == "$"


def test_compat_kpi(client: TestClient, company: Engine) -> None:
    body = client.get("/api/kpis/backlog?range=6m&granularity=quarter&as_of=2025-06").json()
    assert (body["key"], body["value"], body["unit"]) == ("backlog", 1200.0, "£")
    assert body["series"] == [{"period": "2025-Q1", "value": 500.0},
                              {"period": "2025-Q2", "value": 1200.0}]  # fmt: skip
    assert client.get("/api/kpis/ebitda").status_code == 404


def test_compat_uptime(client: TestClient, company: Engine) -> None:
    body = client.get("/api/operations/uptime?range=3m&as_of=2025-06").json()
    assert body["value"] == pytest.approx((0.99 * 30 + 0.96 * 31 + 0.99 * 30) / 91)
    assert body["unit"] == "ratio"
    assert body["series"] == [{"period": "2025-04", "uptime": 0.99},
                              {"period": "2025-05", "uptime": 0.96},
                              {"period": "2025-06", "uptime": 0.99}]  # fmt: skip


def test_compat_at_risk(client: TestClient, company: Engine) -> None:
    body = client.get("/api/customers/at-risk").json()
    assert body[0] == {"id": 2, "customer": "Birch", "mrr": 4000.0, "risk": 0.25, "reason": None,
                       "expected_loss": 1000.0}  # fmt: skip
    assert [c["id"] for c in body] == [2, 1, 3]


def test_compat_csv_downloads(client: TestClient, company: Engine) -> None:
    trend = client.get(f"/api/executive-dashboard{Q}&format=csv")
    assert trend.headers["content-disposition"] == (
        'attachment; filename="revenue-trend-6m-month-2025-06.csv"'
    )
    assert trend.text.splitlines()[:2] == ["period,recognized,booked,backlog",
                                            "2025-01,100.0,120.0,500.0"]  # fmt: skip
    uptime = client.get(
        "/api/operations/uptime?range=3m&as_of=2025-06", headers={"Accept": "text/csv"}
    )
    assert uptime.text.splitlines() == [
        "period,uptime",
        "2025-04,0.99",
        "2025-05,0.96",
        "2025-06,0.99",
    ]
    assert client.get("/api/customers/at-risk?format=csv").text.splitlines()[1] == (
        "2,Birch,4000.0,0.25,,1000.0"
    )
    assert client.get("/api/kpis/arr?format=csv&range=3m&as_of=2025-06").text.splitlines() == [
        "period,value", "2025-04,", "2025-05,12000.0", "2025-06,6000.0",
    ]  # fmt: skip


def test_every_alert_has_a_severity_the_dashboard_can_draw(
    client: TestClient, company: Engine
) -> None:
    with company.begin() as conn:  # the seed's CHECK lets severity be NULL
        conn.execute(schema.alerts.insert().values(id=90, type="ops", title="No severity"))
    alerts = client.get(f"/api/executive-dashboard{Q}").json()["alerts"]
    assert {a["severity"] for a in alerts} <= {"low", "medium", "high"}  # else the page crashes
    assert next(a for a in alerts if a["id"] == 90)["severity"] == "low"


@pytest.mark.parametrize(
    ("stored", "drawn"),
    [(None, "low"), ("", "low"), ("High", "high"), ("critical", "high"), ("medium", "medium")],
)
def test_a_severity_is_read_as_one_of_the_three(stored: str | None, drawn: str) -> None:
    alert = CompatAlert.model_validate(
        {"id": 1, "type": "ops", "title": "t", "description": None, "severity": stored,
         "created_at": None}
    )  # fmt: skip
    assert alert.severity == drawn
