"""`GET /api/v1/kpis/{key}`: a KPI per period and its breakdown; bad keys and dimensions named."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

Q = "range=3m&as_of=2025-06"


def test_revenue_series_and_industry_breakdown(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/kpis/revenue?{Q}&by=industry").json()
    assert body["kpi"]["value"] == 1000.0
    assert [(p["period"], p["value"]) for p in body["series"]["points"]] == [
        ("2025-04", 200.0), ("2025-05", 300.0), ("2025-06", 500.0),
    ]  # fmt: skip
    assert body["dimensions"] == ["customer", "industry", "source", "product"]
    # The window holds no recognized orders: the whole tile is an explicit unattributed slice.
    split = body["breakdown"]
    assert [(i["name"], i["value"]) for i in split["items"]] == [("unattributed", 1000.0)]
    assert (split["tile"], split["total"], split["reconciles"], split["difference"]) == (
        1000.0, 1000.0, False, 1000.0,
    )  # fmt: skip
    assert (split["measure"], split["over"]) == ("Revenue", "recognized orders, 0 orders")


def test_gm_breakdown_slices_carry_profit_revenue_and_margin(
    client: TestClient, company: Engine
) -> None:
    split = client.get(f"/api/v1/kpis/gm?{Q}&by=industry").json()["breakdown"]
    items = {i["name"]: (i["numerator"], i["denominator"], i["rate"]) for i in split["items"]}
    assert items["Retail"] == (400.0, 1000.0, pytest.approx(0.4))  # Acme's subscription
    assert items["Health"] == (100.0, 500.0, pytest.approx(0.2))  # Birch's recurring
    assert (split["numerator"], split["denominator"], split["reconciles"]) == (500.0, 1500.0, True)
    assert split["tile"] == pytest.approx(1 / 3)


def test_unsupported_dimension_is_422_listing_valid_values(client: TestClient) -> None:
    response = client.get("/api/v1/kpis/gm?by=product")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["name"] == "by"
    assert "customer, industry, source" in error["message"]
    assert client.get("/api/v1/kpis/revenue?by=planet").json()["errors"][0]["name"] == "by"


def test_unknown_kpi_is_404_listing_keys(client: TestClient) -> None:
    response = client.get("/api/v1/kpis/ebitda")
    assert response.status_code == 404
    assert "revenue, backlog, uptime" in response.json()["detail"]


def test_drilldown_csv_is_series_or_breakdown(client: TestClient, company: Engine) -> None:
    series = client.get(f"/api/v1/kpis/revenue?{Q}&format=csv")
    assert series.headers["content-disposition"] == (
        'attachment; filename="kpi-revenue-3m-month-2025-06.csv"'
    )
    assert series.text.splitlines() == [
        "period,partial,months,revenue",
        "2025-04,false,1,200.0", "2025-05,false,1,300.0", "2025-06,false,1,500.0",
    ]  # fmt: skip
    split = client.get(f"/api/v1/kpis/gm?{Q}&by=customer&format=csv")
    assert split.headers["content-disposition"].endswith('-by-customer.csv"')
    assert split.text.splitlines()[:2] == [
        "customer,value,share,rate,numerator,denominator",
        "Acme,400.0,0.8,0.4,400.0,1000.0",
    ]


def test_with_last_year_the_drilldown_carries_the_series_a_year_earlier(
    demo_engine: Engine,
) -> None:
    from execdash.api.app import create_app
    from execdash.config import Settings

    url = demo_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as demo:
        for key in ("revenue", "gm", "payback"):
            now = demo.get(
                f"/api/v1/kpis/{key}?range=6m&granularity=month&as_of=2026-06&compare=last_year"
            )
            then = demo.get(f"/api/v1/kpis/{key}?range=6m&granularity=month&as_of=2025-06")
            drawn = now.json()["comparison_series"]
            assert [p["period"] for p in drawn["points"]] == [f"2025-{m:02d}" for m in range(1, 7)]
            assert drawn["points"] == then.json()["series"]["points"]
            assert drawn["total"] == then.json()["series"]["total"]
            assert any(p["value"] is not None for p in drawn["points"])
        plain = demo.get("/api/v1/kpis/revenue?range=6m&as_of=2026-06").json()
        assert plain["comparison_series"] is None
        dash = demo.get(
            "/api/v1/dashboard?range=6m&granularity=quarter&as_of=2026-06&compare=last_year"
        )
        earlier = demo.get("/api/v1/dashboard?range=6m&granularity=quarter&as_of=2025-06").json()
        lines = {s["key"]: s for s in dash.json()["comparison_lines"]}
        assert lines["recognized"]["points"] == earlier["revenue_trend"][0]["points"]
        assert demo.get("/api/v1/dashboard?range=6m").json()["comparison_lines"] == []


def test_a_domain_against_last_year_carries_each_series_a_year_earlier(
    demo_engine: Engine,
) -> None:
    from execdash.api import create_app
    from execdash.config import Settings

    url = demo_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as demo:
        for domain in ("finance", "sales", "operations"):
            now = demo.get(f"/api/v1/{domain}?range=6m&as_of=2026-06&compare=last_year").json()
            then = demo.get(f"/api/v1/{domain}?range=6m&as_of=2025-06").json()
            drawn = {s["key"]: s for s in now["series"] if s["key"].startswith("last_year_")}
            earlier = {f"last_year_{s['key']}": s for s in then["series"]}
            assert drawn, domain
            for key, line in drawn.items():
                assert line["points"] == earlier[key]["points"], (domain, key)
            plain = demo.get(f"/api/v1/{domain}?range=6m&as_of=2026-06").json()
            assert not [s for s in plain["series"] if s["key"].startswith("last_year_")]
