"""Customers and feedback lists: filters, search, sorting, paging and CSV."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine


def test_customers_by_name_with_filters(client: TestClient, rows: Engine) -> None:
    body = client.get("/api/v1/customers").json()
    assert [c["name"] for c in body["items"]] == ["Acme", "Birch", "Cobalt"]
    assert body["items"][0] == {
        "id": 1, "name": "Acme", "industry": "Retail", "source": "Web", "created_at": "2024-01-15",
    }  # fmt: skip
    names = [c["name"] for c in client.get("/api/v1/customers?industry=Retail&sort=-created_at")
             .json()["items"]]  # fmt: skip
    assert names == ["Cobalt", "Acme"]
    assert [c["id"] for c in client.get("/api/v1/customers?q=IRC").json()["items"]] == [2]
    assert client.get("/api/v1/customers?q=%25").json()["total"] == 0


def test_feedback_newest_first_with_customer_name(client: TestClient, rows: Engine) -> None:
    items = client.get("/api/v1/feedback").json()["items"]
    assert [(f["id"], f["customer_name"]) for f in items] == [(2, None), (1, "Acme")]
    assert client.get("/api/v1/feedback?type=praise").json()["total"] == 1
    assert client.get("/api/v1/feedback?customer_id=1").json()["items"][0]["message"] == (
        "Great uptime"
    )


def test_customers_csv(client: TestClient, rows: Engine) -> None:
    response = client.get("/api/v1/customers?format=csv&source=Partner")
    assert response.headers["content-disposition"] == 'attachment; filename="customers.csv"'
    assert (
        response.text
        == "id,name,industry,source,created_at\r\n2,Birch,Health,Partner,2025-02-01\r\n"
    )


def test_bad_sort_is_422_listing_valid_values(client: TestClient) -> None:
    response = client.get("/api/v1/customers?sort=revenue")
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "sort"
    assert "'-name'" in response.json()["errors"][0]["message"]
