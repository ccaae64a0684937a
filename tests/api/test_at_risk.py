"""At-risk customers ranked by expected loss; risk as 0–1 or 0–100, above 100 rejected."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api.routes.at_risk import normalise_risk
from tests.api.conftest import bearer


@pytest.mark.parametrize(("given", "stored"), [(0.0, 0.0), (0.85, 0.85), (1.0, 1.0), (85.0, 0.85),
                                               (100.0, 1.0)])  # fmt: skip
def test_risk_percentages_are_normalised(given: float, stored: float) -> None:
    assert normalise_risk(given) == pytest.approx(stored)


@pytest.mark.parametrize("bad", [150.0, -0.1])
def test_risk_out_of_range_is_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="risk"):
        normalise_risk(bad)


def test_sorted_by_expected_loss(client: TestClient, rows: Engine) -> None:
    items = client.get("/api/v1/at-risk-customers").json()["items"]
    # Birch 4000 × 0.25 = 1000; Acme 1000 × 0.5 = 500; Cobalt 500 × 0.80 (stored 80) = 400
    assert [(i["customer"], i["expected_loss"]) for i in items] == [
        ("Birch", 1000.0), ("Acme", 500.0), ("Cobalt", pytest.approx(400.0)),
    ]  # fmt: skip
    assert items[2]["risk"] == pytest.approx(0.8)


def test_create_update_delete(client: TestClient, rows: Engine, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["editor"])
    created = client.post(
        "/api/v1/at-risk-customers", json={"customer": "Delta", "mrr": 2000, "risk": 85},
        headers=auth,
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["risk"] == pytest.approx(0.85)
    assert created.json()["expected_loss"] == pytest.approx(1700.0)
    row_id = created.json()["id"]
    patched = client.patch(f"/api/v1/at-risk-customers/{row_id}", json={"risk": 0.1}, headers=auth)
    assert patched.json()["expected_loss"] == pytest.approx(200.0)
    assert client.delete(f"/api/v1/at-risk-customers/{row_id}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/at-risk-customers/{row_id}").status_code == 404


def test_risk_above_100_is_422(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/at-risk-customers", json={"customer": "E", "mrr": 1, "risk": 150},
        headers=bearer(tokens["editor"]),
    )  # fmt: skip
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["name"] == "risk"
    assert error["message"] == "Input should be less than or equal to 100"


def test_viewer_cannot_delete(client: TestClient, rows: Engine, tokens: dict[str, str]) -> None:
    response = client.delete("/api/v1/at-risk-customers/1", headers=bearer(tokens["viewer"]))
    assert response.status_code == 403


def test_at_risk_csv(client: TestClient, rows: Engine) -> None:
    response = client.get("/api/v1/at-risk-customers", headers={"Accept": "text/csv"})
    assert response.headers["content-disposition"] == 'attachment; filename="at-risk-customers.csv"'
    assert response.text.splitlines()[:2] == [
        "id,customer,mrr,risk,expected_loss,reason",
        "2,Birch,4000.0,0.25,1000.0,",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("risk", False), ("risk", True), ("mrr", False), ("risk", "0.5"), ("mrr", "100")],
)
def test_numbers_must_be_json_numbers(
    client: TestClient, tokens: dict[str, str], field: str, value: object
) -> None:
    body = {"customer": "Acme", "mrr": 100, "risk": 0.5, field: value}
    response = client.post(
        "/api/v1/at-risk-customers",
        json=body,
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert response.status_code == 422
    assert f"'{field}'" in response.json()["detail"]
    patch = client.patch(
        "/api/v1/at-risk-customers/1",
        json={field: value},
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert patch.status_code in (404, 422)
    if patch.status_code == 422:
        assert f"'{field}'" in patch.json()["detail"]


def test_whole_numbers_are_numbers_too(client: TestClient, tokens: dict[str, str]) -> None:
    body = {"customer": "Acme", "mrr": 100, "risk": 1}
    response = client.post(
        "/api/v1/at-risk-customers",
        json=body,
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    assert response.status_code == 201
    assert response.json()["risk"] == 1.0
