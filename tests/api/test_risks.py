"""Risks list with overdue flag and filters; editors create, edit and change status."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api.routes import risks as risks_route
from tests.api.conftest import bearer


def _ids(client: TestClient, query: str) -> list[int]:
    return [r["id"] for r in client.get(f"/api/v1/risks{query}").json()["items"]]


def test_risks_sorted_by_due_with_overdue_flag(client: TestClient, rows: Engine) -> None:
    items = client.get("/api/v1/risks").json()["items"]
    assert [r["id"] for r in items] == [1, 3, 2]
    assert items[0] == {
        "id": 1, "title": "Supplier insolvency", "owner": "COO", "due": "2020-01-31",
        "mitigation": "Second source", "status": "open", "overdue": True,
    }  # fmt: skip
    assert [r["overdue"] for r in items] == [True, False, False]


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(dt.date(2020, 1, 30), False), (dt.date(2020, 1, 31), False), (dt.date(2020, 2, 1), True)],
)
def test_risk_due_today_is_not_yet_overdue(
    client: TestClient, rows: Engine, monkeypatch: pytest.MonkeyPatch, today: dt.date, overdue: bool
) -> None:
    monkeypatch.setattr(risks_route, "today", lambda: today)
    items = {r["id"]: r for r in client.get("/api/v1/risks?sort=id").json()["items"]}
    assert items[1]["due"] == "2020-01-31"
    assert items[1]["overdue"] is overdue
    assert items[3]["overdue"] is False  # closed risks are never overdue
    assert _ids(client, "?overdue=true") == ([1] if overdue else [])


def test_risk_filters(client: TestClient, rows: Engine) -> None:
    assert _ids(client, "?status=mitigating") == [2]
    assert _ids(client, "?owner=CFO&sort=-due") == [2, 3]
    assert _ids(client, "?overdue=true") == [1]
    assert _ids(client, "?overdue=false&sort=id") == [2, 3]


def test_create_update_and_change_status(
    client: TestClient, rows: Engine, tokens: dict[str, str]
) -> None:
    auth = bearer(tokens["editor"])
    created = client.post(
        "/api/v1/risks", json={"title": "Key hire", "due": "2025-09-30"}, headers=auth
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["due"], body["owner"]) == ("open", "2025-09-30", None)
    risk_id = body["id"]
    patched = client.patch(f"/api/v1/risks/{risk_id}", json={"owner": "CEO"}, headers=auth)
    assert patched.json()["owner"] == "CEO"
    moved = client.post(f"/api/v1/risks/{risk_id}/status", json={"status": "closed"}, headers=auth)
    assert moved.json()["status"] == "closed"
    assert moved.json()["overdue"] is False


def test_bad_due_date_and_status_are_422(client: TestClient, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["editor"])
    response = client.post("/api/v1/risks", json={"title": "x", "due": "31/09/2025"}, headers=auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "due"
    response = client.post("/api/v1/risks", json={"title": "x", "status": "done"}, headers=auth)
    assert response.json()["errors"][0]["name"] == "status"


def test_null_title_is_rejected(client: TestClient, rows: Engine, tokens: dict[str, str]) -> None:
    response = client.patch(
        "/api/v1/risks/1", json={"title": None}, headers=bearer(tokens["admin"])
    )
    assert response.status_code == 422
    assert "title" in response.json()["detail"]


def test_risks_csv(client: TestClient, rows: Engine) -> None:
    response = client.get("/api/v1/risks?format=csv&status=mitigating")
    assert response.headers["content-disposition"] == 'attachment; filename="risks.csv"'
    assert response.text.splitlines() == [
        "id,title,owner,due,mitigation,status,overdue",
        "2,FX exposure,CFO,2099-03-31,,mitigating,false",
    ]


@pytest.mark.parametrize(
    "due", [0, 1_700_000_000, True, 20250131, "2025-01-31T00:00:00", "31/01/2025"]
)
def test_due_must_be_written_as_a_date(
    client: TestClient, tokens: dict[str, str], due: object
) -> None:
    response = client.post(
        "/api/v1/risks", json={"title": "FX", "due": due}, headers=bearer(tokens["editor"])
    )
    assert response.status_code == 422
    assert "'due'" in response.json()["detail"]
    assert "YYYY-MM-DD" in response.json()["detail"]


def test_a_date_written_as_text_is_still_accepted(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/risks", json={"title": "FX", "due": "2025-01-31"}, headers=bearer(tokens["editor"])
    )
    assert response.status_code == 201
    assert response.json()["due"] == "2025-01-31"
