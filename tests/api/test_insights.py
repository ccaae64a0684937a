"""Drivers, MRR movements and the summary over hand-built companies, on SQLite and PostgreSQL.

Each company is read twice: from the raw tables, then from the rollups once they are built;
both must give the hand-computed answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import rollups
from execdash.db import schema as s

W = "range=3m&as_of=2025-06"
"""Window 2025-04..2025-06; previous window 2025-01..2025-03."""

CUSTOMERS = [
    {"id": 1, "name": "Acme", "industry": "Retail", "source": "Inbound"},
    {"id": 2, "name": "Beta", "industry": "Food", "source": "Partner"},
    {"id": 3, "name": "Cobalt", "industry": "Retail", "source": "Inbound"},
    {"id": 4, "name": "Dora", "industry": "Food", "source": "Outbound"},
]


def order(
    n: int, customer: int | None, day: str, amount: float, profit: float, kind: str
) -> dict[str, Any]:
    return {"id": n, "customer_id": customer, "order_date": dt.date.fromisoformat(day),
            "amount": amount, "profit": profit, "type": kind}  # fmt: skip


def insert(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(s.metadata.tables[table]), rows)


@pytest.fixture(params=["raw", "rollups"])
def client_for(request: pytest.FixtureRequest, any_engine: Engine) -> Iterator[Any]:
    """A function seeding the company then opening a client (rollups built or not)."""
    opened: list[TestClient] = []

    def open_client() -> TestClient:
        if request.param == "rollups":
            with any_engine.begin() as conn:
                rollups.rebuild_all(conn)
        url = any_engine.url.render_as_string(hide_password=False)
        client = TestClient(create_app(Settings(database_url=url)))
        opened.append(client.__enter__())
        return client

    yield open_client
    for client in opened:
        client.__exit__(None, None, None)


def sales_company(engine: Engine) -> None:
    """Recognized orders: before Acme 100/40, Beta 100/20, Dora 50/10; now Acme 150/60, Beta
    80/16, Cobalt 70/35. revenue_trend: 100 a month before, 120 a month now."""
    insert(engine, "customers", CUSTOMERS)
    insert(engine, "orders", [
        order(1, 1, "2025-02-10", 100, 40, "recognized"),
        order(2, 2, "2025-02-10", 100, 20, "recognized"),
        order(3, 4, "2025-03-31", 50, 10, "recognized"),
        order(4, 1, "2025-05-10", 150, 60, "recognized"),
        order(5, 2, "2025-04-01", 80, 16, "recognized"),
        order(6, 3, "2025-06-30", 70, 35, "recognized"),
    ])  # fmt: skip
    insert(engine, "revenue_trend", [
        {"period": f"2025-{m:02d}", "recognized": 100 if m <= 3 else 120, "booked": 0,
         "backlog": 0} for m in range(1, 7)
    ])  # fmt: skip


def contributions(body: dict[str, Any]) -> dict[str, float]:
    return {d["name"]: d["contribution"] for d in body["drivers"]}


def test_revenue_drivers_by_customer_are_each_customers_change_plus_unattributed(
    any_engine: Engine, client_for: Any
) -> None:
    sales_company(any_engine)
    body = client_for().get(f"/api/v1/kpis/revenue/drivers?by=customer&{W}").json()
    assert (body["previous"], body["current"], body["change"]) == (300, 360, 60)
    assert contributions(body) == pytest.approx(
        {"Cobalt": 70, "Acme": 50, "Dora": -50, "Beta": -20, "unattributed": 10}
    )
    assert [d["name"] for d in body["drivers"]] == [
        "Cobalt",
        "Acme",
        "Dora",
        "Beta",
        "unattributed",
    ]
    assert body["new"]["names"] == ["Cobalt"]
    assert body["lost"] == {"count": 1, "value": 50, "contribution": -50, "names": ["Dora"]}
    assert [d["name"] for d in body["top_up"]] == ["Cobalt", "Acme"]
    assert body["concentration"]["top1"] == pytest.approx(150 / 300)
    assert body["concentration"]["largest"] == "Acme"
    assert sum(contributions(body).values()) == pytest.approx(body["change"])


def test_revenue_drivers_by_industry_and_the_other_slice(
    any_engine: Engine, client_for: Any
) -> None:
    sales_company(any_engine)
    client = client_for()
    body = client.get(f"/api/v1/kpis/revenue/drivers?by=industry&{W}").json()
    assert contributions(body) == pytest.approx({"Retail": 120, "Food": -70, "unattributed": 10})
    top1 = client.get(f"/api/v1/kpis/revenue/drivers?by=customer&top=1&{W}").json()
    assert contributions(top1) == pytest.approx({"Cobalt": 70, "other": -20, "unattributed": 10})
    assert next(d for d in top1["drivers"] if d["name"] == "other")["members"] == 3


def test_gross_margin_drivers_split_the_points_into_mix_and_rate(
    any_engine: Engine, client_for: Any
) -> None:
    sales_company(any_engine)
    body = client_for().get(f"/api/v1/kpis/gm/drivers?by=industry&{W}").json()
    assert body["method"] == "mix_rate"
    assert body["previous"] == pytest.approx(70 / 250)
    assert body["current"] == pytest.approx(111 / 300)
    got = {d["name"]: d for d in body["drivers"]}
    # Retail: (95/300 − 40/250) − 0.325 × (220/300 − 100/250) = 29/600; Food 25/600
    assert got["Retail"]["contribution"] == pytest.approx(29 / 600)
    assert got["Food"]["contribution"] == pytest.approx(25 / 600)
    assert got["Retail"]["rate"] == pytest.approx((0.4 + 220 / 300) / 2 * (95 / 220 - 0.4))
    assert got["Retail"]["mix"] + got["Retail"]["rate"] == pytest.approx(29 / 600)
    assert set(got) == {"Retail", "Food"}
    assert sum(d["contribution"] for d in body["drivers"]) == pytest.approx(0.09)


def test_book_to_bill_drivers_split_into_mix_and_rate(any_engine: Engine, client_for: Any) -> None:
    """Booked ÷ recognized, 100/100 = 1.0 → 120/80 = 1.5; mean 1.25."""
    insert(any_engine, "customers", CUSTOMERS)
    insert(any_engine, "orders", [
        order(1, 1, "2025-02-10", 60, 0, "booked"),
        order(2, 2, "2025-02-10", 40, 0, "booked"),
        order(3, 1, "2025-02-10", 50, 0, "recognized"),
        order(4, 2, "2025-02-10", 50, 0, "recognized"),
        order(5, 1, "2025-05-10", 90, 0, "booked"),
        order(6, 2, "2025-05-10", 30, 0, "booked"),
        order(7, 1, "2025-05-10", 60, 0, "recognized"),
        order(8, 2, "2025-05-10", 20, 0, "recognized"),
    ])  # fmt: skip
    insert(any_engine, "revenue_trend", [
        {"period": f"2025-{m:02d}", "recognized": [50, 50, 0, 80, 0, 0][m - 1],
         "booked": [100, 0, 0, 120, 0, 0][m - 1], "backlog": 0} for m in range(1, 7)
    ])  # fmt: skip
    body = client_for().get(f"/api/v1/kpis/book_to_bill/drivers?by=customer&{W}").json()
    assert body["method"] == "mix_rate"
    assert (body["previous"], body["current"]) == pytest.approx((1.0, 1.5))
    got = {d["name"]: d for d in body["drivers"]}
    assert set(got) == {"Acme", "Beta"}
    # Acme: (90/80 − 60/100) − 1.25 × (60/80 − 50/100); rate (0.5 + 0.75)/2 × (1.5 − 1.2)
    assert got["Acme"]["contribution"] == pytest.approx(0.2125)
    assert got["Acme"]["rate"] == pytest.approx(0.1875)
    assert got["Beta"]["contribution"] == pytest.approx(0.2875)
    assert got["Beta"]["rate"] == pytest.approx(0.2625)
    assert body["top_up"][0]["name"] == "Beta"


def subscription_company(engine: Engine) -> None:
    """MRR: Mar Acme 10, Beta 20; Apr Acme 15, Beta 20, Cobalt 5; May Acme 15, Cobalt 5;
    Jun Acme 12, Beta 20, Cobalt 5."""
    insert(engine, "customers", CUSTOMERS)
    rows = [(1, "2025-03", 10), (2, "2025-03", 20), (1, "2025-04", 15), (2, "2025-04", 20),
            (3, "2025-04", 5), (1, "2025-05", 15), (3, "2025-05", 5), (1, "2025-06", 12),
            (2, "2025-06", 20), (3, "2025-06", 5)]  # fmt: skip
    insert(engine, "orders", [
        order(i + 1, c, f"{m}-15", a, 0, "subscription" if i % 2 else "recurring")
        for i, (c, m, a) in enumerate(rows)
    ])  # fmt: skip
    insert(engine, "revenue_trend", [
        {"period": f"2025-{m:02d}", "recognized": 1, "booked": 1, "backlog": 0}
        for m in range(1, 7)
    ])  # fmt: skip


def test_arr_drivers_by_customer_show_new_and_lost_customers(
    any_engine: Engine, client_for: Any
) -> None:
    subscription_company(any_engine)
    body = client_for().get(f"/api/v1/kpis/arr/drivers?by=customer&{W}").json()
    assert (body["previous"], body["current"]) == (360, 444)
    assert contributions(body) == pytest.approx({"Beta": 0, "Acme": 24, "Cobalt": 60})
    assert body["new"]["names"] == ["Cobalt"]
    assert body["lost"]["count"] == 0


def test_mrr_movements_reconcile_month_by_month_and_for_the_window(
    any_engine: Engine, client_for: Any
) -> None:
    subscription_company(any_engine)
    body = client_for().get(f"/api/v1/retention/mrr-movements?{W}").json()
    window = body["window"]
    assert window["period"] == "2025-04..2025-06"
    assert window["opening_month"] == "2025-03"
    moves = {k: window[k] for k in ("opening", "new", "reactivation", "expansion",
                                    "contraction", "churn", "unattributed", "closing")}  # fmt: skip
    assert moves == {"opening": 30, "new": 5, "reactivation": 20, "expansion": 5,
                     "contraction": -3, "churn": -20, "unattributed": 0, "closing": 37}  # fmt: skip
    assert window["customers"] == {"opening": 2, "new": 1, "reactivation": 1, "expansion": 1,
                                   "contraction": 1, "churn": 1, "closing": 3}  # fmt: skip
    assert window["arpa"] == pytest.approx(37 / 3)
    # churn events ÷ Σ opening customers of each month: 1 / (2 + 3 + 2)
    assert window["logo_churn_rate"] == pytest.approx(1 / 7)
    assert window["revenue_churn_rate"] == pytest.approx(23 / (30 + 40 + 20))
    assert (body["arr_opening"], body["arr_closing"]) == (360, 444)
    assert [m["period"] for m in body["months"]] == ["2025-04", "2025-05", "2025-06"]
    for m in body["months"]:
        moved = sum(m[k] for k in ("new", "reactivation", "expansion", "contraction", "churn",
                                   "unattributed"))  # fmt: skip
        assert m["opening"] + moved == pytest.approx(m["closing"])
    assert body["months"][2]["reactivation"] == 20


def test_summary_names_the_largest_driver_of_revenue(any_engine: Engine, client_for: Any) -> None:
    sales_company(any_engine)
    body = client_for().get(f"/api/v1/summary?{W}").json()
    first = body["statements"][0]
    assert first["text"] == (
        "Revenue rose 20.0% to £360; Retail (industry) added £120 of the £60 increase."
    )
    figures = [p for p in first["parts"] if p["href"]]
    assert [p["text"] for p in figures] == ["20.0%", "£360", "£120", "£60"]
    assert figures[0]["source"] == "/api/v1/kpis/revenue?range=3m&granularity=month&as_of=2025-06"
    assert figures[2]["href"].endswith("&by=industry#kpi-drivers")


def test_drivers_refuse_a_kpi_without_a_breakdown_and_an_unknown_key(
    any_engine: Engine, client_for: Any
) -> None:
    client = client_for()
    backlog = client.get("/api/v1/kpis/backlog/drivers")
    assert backlog.status_code == 422
    assert "no breakdown" in backlog.json()["detail"]
    assert client.get("/api/v1/kpis/nope/drivers").status_code == 404
    assert client.get("/api/v1/kpis/arr/drivers?by=product").status_code == 422


def test_everything_answers_on_an_empty_database(any_engine: Engine, client_for: Any) -> None:
    client = client_for()
    drivers = client.get("/api/v1/kpis/revenue/drivers").json()
    assert drivers["method"] == "none"
    assert drivers["drivers"] == []
    movements = client.get("/api/v1/retention/mrr-movements").json()
    assert movements["window"]["closing"] == 0
    summary = client.get("/api/v1/summary").json()
    assert summary["text"] == "No KPI has data in this window."


def test_drivers_compare_with_the_same_months_last_year_when_asked(
    any_engine: Engine, client_for: Any
) -> None:
    """Recognized orders: Apr-Jun 2024 Acme 40, Beta 60; Apr-Jun 2025 Acme 150, Beta 80."""
    insert(any_engine, "customers", CUSTOMERS)
    insert(any_engine, "orders", [
        order(1, 1, "2024-05-10", 40, 0, "recognized"),
        order(2, 2, "2024-06-10", 60, 0, "recognized"),
        order(3, 4, "2025-02-10", 500, 0, "recognized"),  # the previous window, not compared
        order(4, 1, "2025-05-10", 150, 0, "recognized"),
        order(5, 2, "2025-04-01", 80, 0, "recognized"),
    ])  # fmt: skip
    insert(any_engine, "revenue_trend", [
        {"period": p, "recognized": r, "booked": 0, "backlog": 0}
        for p, r in [("2024-05", 40), ("2024-06", 60), ("2025-02", 500), ("2025-04", 80),
                     ("2025-05", 150)]
    ])  # fmt: skip
    client = client_for()
    body = client.get(f"/api/v1/kpis/revenue/drivers?by=customer&{W}&compare=last_year").json()
    tile = client.get(f"/api/v1/kpis/revenue?{W}&compare=last_year").json()["kpi"]
    assert (body["previous"], body["current"]) == (100, 230) == (tile["previous"], tile["value"])
    assert contributions(body) == pytest.approx({"Acme": 110, "Beta": 20})
    assert body["timeframe"]["previous_start_date"] == "2024-04-01"
    plan = client.get(f"/api/v1/kpis/revenue/drivers?{W}&compare=plan")
    assert plan.status_code == 422
    assert "plan is not offered" in plan.json()["detail"]
