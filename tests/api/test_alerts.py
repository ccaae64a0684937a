"""Alerts list with filters, sorting, paging and CSV; editors create, edit and move their state."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.db import versions
from execdash.db.tables import alert_status
from tests.api.conftest import bearer


def _ids(response: object) -> list[int]:
    return [item["id"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def test_alerts_newest_first_with_open_state(client: TestClient, rows: Engine) -> None:
    body = client.get("/api/v1/alerts").json()
    assert body["total"] == 3
    assert body["page"] == 1
    assert body["page_size"] == 50
    assert [a["id"] for a in body["items"]] == [2, 3, 1]
    assert body["items"][2] == {
        "id": 1, "type": "ops", "title": "Line 3 stopped", "description": "Press fault",
        "severity": "high", "created_at": "2025-06-01T09:00:00Z", "status": "open",
        "status_by": None, "status_at": None, "rule_id": None, "rule_url": None,
        "drilldown_url": None,
    }  # fmt: skip


def test_alerts_filter_sort_and_page(client: TestClient, rows: Engine) -> None:
    assert _ids(client.get("/api/v1/alerts?type=ops")) == [3, 1]
    assert _ids(client.get("/api/v1/alerts?severity=low")) == [2]
    assert _ids(client.get("/api/v1/alerts?sort=-severity")) == [1, 3, 2]
    assert _ids(client.get("/api/v1/alerts?sort=severity")) == [2, 3, 1]
    page = client.get("/api/v1/alerts?sort=id&page=2&page_size=2").json()
    assert (page["total"], [a["id"] for a in page["items"]]) == (3, [3])


def test_bad_severity_is_422_naming_it(client: TestClient, rows: Engine) -> None:
    response = client.get("/api/v1/alerts?severity=urgent")
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "severity"
    assert "severity" in response.json()["detail"]


def test_acknowledge_close_and_reopen(
    client: TestClient, rows: Engine, tokens: dict[str, str]
) -> None:
    auth = bearer(tokens["editor"])
    acked = client.post("/api/v1/alerts/1/acknowledge", headers=auth).json()
    assert (acked["status"], acked["status_by"]) == ("acknowledged", "editor")
    client.post("/api/v1/alerts/2/close", headers=auth)
    assert _ids(client.get("/api/v1/alerts?status=open")) == [3]
    assert _ids(client.get("/api/v1/alerts?status=closed")) == [2]
    assert client.post("/api/v1/alerts/2/reopen", headers=auth).json()["status"] == "open"
    with rows.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(alert_status)).scalar() == 2
        assert versions.of(conn, [alert_status.name]) == {alert_status.name: 3}  # three writes


def test_create_and_update_alert(client: TestClient, rows: Engine, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["editor"])
    created = client.post(
        "/api/v1/alerts", json={"type": "sales", "title": "Pipeline dip"}, headers=auth
    )
    assert created.status_code == 201
    assert created.json()["severity"] == "medium"
    new_id = created.json()["id"]
    patched = client.patch(f"/api/v1/alerts/{new_id}", json={"severity": "high"}, headers=auth)
    assert patched.json()["severity"] == "high"
    assert patched.json()["title"] == "Pipeline dip"


def test_invalid_alert_body_is_422_naming_the_field(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/alerts",
        json={"type": "ops", "title": "x", "severity": "critical"},
        headers=bearer(tokens["editor"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "location": "body", "name": "severity",
        "message": "Input should be 'low', 'medium' or 'high'",
    }  # fmt: skip


def test_unknown_alert_is_404(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/api/v1/alerts/99").status_code == 404
    response = client.post("/api/v1/alerts/99/close", headers=bearer(tokens["editor"]))
    assert response.status_code == 404
    assert response.json()["detail"] == "No alert with id 99."


def test_alerts_csv_neutralises_formulas(client: TestClient, rows: Engine) -> None:
    response = client.get("/api/v1/alerts?format=csv&sort=id")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="alerts.csv"'
    lines = response.text.splitlines()
    assert lines[0] == "id,type,title,description,severity,created_at,status,status_by,status_at"
    assert lines[1] == "1,ops,Line 3 stopped,Press fault,high,2025-06-01T09:00:00,open,,"
    assert lines[3].startswith("3,ops,'=cmd|' /C calc'!A0,,medium,")
    accepted = client.get("/api/v1/alerts?sort=id", headers={"Accept": "text/csv"})
    assert accepted.text == response.text


def test_fields_that_cannot_be_null_are_not_nullable_in_the_spec(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for model, field in (
        ("AlertUpdate", "type"),
        ("AlertUpdate", "title"),
        ("RiskUpdate", "title"),
        ("RiskUpdate", "status"),
        ("AtRiskUpdate", "customer"),
        ("AtRiskUpdate", "mrr"),
        ("AtRiskUpdate", "risk"),
    ):
        spec = schemas[model]["properties"][field]
        assert "anyOf" not in spec, (model, field, spec)
        assert spec.get("type") != "null", (model, field, spec)
    assert schemas["AtRiskUpdate"]["properties"]["mrr"]["minimum"] == 0
