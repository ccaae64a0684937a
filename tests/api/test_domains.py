"""One overview per domain, served from the metrics engine, checked on hand-built numbers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

Q = "?range=3m&as_of=2025-06"


def _series(body: dict[str, object], key: str) -> list[float | None]:
    for one in body["series"]:  # type: ignore[attr-defined]
        if one["key"] == key:
            return [p["value"] for p in one["points"]]
    raise AssertionError(f"no series {key}")


def _tile(body: dict[str, object], key: str) -> object:
    return next(k["value"] for k in body["kpis"] if k["key"] == key)  # type: ignore[attr-defined]


def test_finance(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/finance{Q}").json()
    assert body["domain"] == "finance"
    assert _series(body, "recognized") == [200.0, 300.0, 500.0]
    assert _series(body, "mrr") == [None, 1000.0, 500.0]
    assert _series(body, "gm") == [None, 0.4, 0.2]  # 400/1000, 100/500
    assert _tile(body, "revenue") == 1000.0


def test_sales_funnel(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/sales{Q}").json()
    funnel = [(s["stage"], s["count"], s["conversion"]) for s in body["funnel"]]
    assert funnel == [("Leads", 10, None), ("MQL", 5, 0.5), ("SQL", 2, 0.4), ("Won", 1, 0.5)]


def test_retention(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/retention{Q}").json()
    assert _tile(body, "nrr") == 1.05
    assert [c["expected_loss"] for c in body["at_risk"]] == [1000.0, 500.0, pytest.approx(400.0)]


def test_operations(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/operations{Q}").json()
    assert _series(body, "uptime") == [0.99, 0.96, 0.99]


def test_supply(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/supply{Q}").json()
    shares = [(i["name"], i["share"]) for i in body["cogs_breakdown"]["items"]]
    assert shares == [("Chips", 0.6), ("Housing", 0.4)]


def test_telemetry(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/telemetry{Q}").json()
    assert _series(body, "active_devices") == [None, 100.0, 120.0]


def test_products(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/products{Q}").json()
    items = [(i["name"], i["value"], i["share"]) for i in body["top_products"]["items"]]
    assert items == [("Press A", 300.0, 0.75), ("Kit B", 100.0, 0.25)]


def test_marketing(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/marketing{Q}").json()
    assert _series(body, "page_visits") == [None, 20.0, None]
    mix = {i["name"]: i["value"] for i in body["customers_by_industry"]["items"]}
    assert mix == {"Retail": 2.0, "Health": 1.0}


def test_domain_csv_has_series_side_by_side(client: TestClient, company: Engine) -> None:
    response = client.get(f"/api/v1/operations{Q}&format=csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="operations-3m-month-2025-06.csv"'
    )
    lines = response.text.splitlines()
    assert lines[0].startswith("period,partial,months,uptime,mtbf,mttr")
    assert lines[1].startswith("2025-04,false,1,0.99,")


DOMAINS = ("finance", "sales", "retention", "operations", "supply", "telemetry", "products",
           "marketing")  # fmt: skip
UNDATED = {("retention", "expected_loss")}
"""Tiles of an undated snapshot (the at-risk table): no previous window, so no change."""


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_domain_tile_carries_previous_change_in_its_unit_and_coverage(
    client: TestClient, company: Engine, domain: str
) -> None:
    body = client.get(f"/api/v1/{domain}{Q}").json()
    assert body["kpis"]
    assert body["series"]
    for tile in body["kpis"]:
        where = (domain, tile["key"])
        assert {"previous", "change", "delta", "change_unit", "comparable"} <= set(tile), where
        points = tile["unit"] == "ratio" or tile["key"] == "nps"
        assert tile["change_unit"] == ("points" if points else "relative"), where
        if tile["value"] is not None and tile["previous"] is not None:
            assert tile["change"] == pytest.approx(tile["value"] - tile["previous"]), where
        if where in UNDATED:
            assert (tile["previous"], tile["change"], tile["coverage"]) == (None, None, None)
            continue
        cover = tile["coverage"]
        needs = 6 if tile["key"] == "coverage_months" else 3  # backlog over 6 months' revenue
        assert (cover["months"], cover["previous_start_month"]) == (needs, "2025-01"), where
        complete = cover["complete"] and cover["previous_complete"]
        assert tile["comparable"] is complete, where
        if not complete:
            assert tile["favourable"] is None, where
    for series in body["series"]:
        assert series["coverage"]["months"] == 3, (domain, series["key"])
