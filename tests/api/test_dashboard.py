"""`GET /api/v1/dashboard` and `/api/v1/kpis`: the engine's numbers on a hand-built company."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import reads
from execdash.db import schema
from execdash.db.changes import data_version, record_data_change
from tests.api.conftest import bearer

Q = "?range=3m&as_of=2025-06"


def _kpis(body: dict[str, object]) -> dict[str, dict[str, object]]:
    return {k["key"]: k for k in body["kpis"]}  # type: ignore[attr-defined,index]


def test_dashboard_kpis_match_hand_computation(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/dashboard{Q}").json()
    assert body["timeframe"]["start_date"] == "2025-04-01"
    assert body["timeframe"]["end_date"] == "2025-06-30"
    kpis = _kpis(body)
    assert list(kpis) == ["revenue", "backlog", "uptime", "nrr", "gm", "payback", "book_to_bill",
                          "coverage_months", "arr", "forecast"]  # fmt: skip
    revenue = kpis["revenue"]
    assert revenue["value"] == 1000.0  # 200 + 300 + 500
    assert revenue["previous"] == 300.0  # 100 × 3
    assert revenue["delta"] == pytest.approx(700 / 300)
    assert (revenue["direction"], revenue["favourable"], revenue["unit"]) == (
        "up",
        True,
        "currency",
    )
    assert kpis["backlog"]["value"] == 1200.0
    assert kpis["backlog"]["delta"] == pytest.approx(1.4)  # 1200 vs 500
    assert kpis["book_to_bill"]["value"] == 1.0  # 1000 / 1000
    assert kpis["book_to_bill"]["direction"] == "flat"  # previous 300 / 300
    assert kpis["coverage_months"]["value"] == pytest.approx(1200 / (1300 / 6))
    assert kpis["uptime"]["value"] == pytest.approx((0.99 * 30 + 0.96 * 31 + 0.99 * 30) / 91)
    assert kpis["gm"]["value"] == pytest.approx(500 / 1500)
    assert kpis["arr"]["value"] == 6000.0  # 12 × the 500 recurring in June
    assert kpis["nrr"]["value"] == 1.05
    assert kpis["revenue"]["provenance"]["months"] == ["2025-04", "2025-05", "2025-06"]


def test_dashboard_lists_and_metadata(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    client.post("/api/v1/alerts/2/close", headers=bearer(tokens["editor"]))
    body = client.get(f"/api/v1/dashboard{Q}").json()
    assert [a["id"] for a in body["alerts"]] == [3, 1]  # newest first, closed #2 left out
    assert [r["id"] for r in body["risks"]] == [1, 2]  # not closed, soonest due first
    assert [c["customer"] for c in body["at_risk"]] == ["Birch", "Acme", "Cobalt"]
    assert (body["currency"], body["currency_symbol"]) == ("GBP", "£")
    with company.connect() as conn:  # the version of the tables the overview reads, its ETag
        assert body["data_version"] == data_version(conn, reads.OVERVIEW) > 0
    assert body["last_data_update"] is not None
    recognized = body["revenue_trend"][0]
    assert recognized["key"] == "recognized"
    assert [p["value"] for p in recognized["points"]] == [200.0, 300.0, 500.0]


def test_dashboard_counts_every_open_item_beyond_the_lists_it_sends(
    client: TestClient, company: Engine
) -> None:
    body = client.get(f"/api/v1/dashboard{Q}").json()
    assert (body["alerts_total"], body["risks_total"], body["at_risk_total"]) == (3, 2, 3)
    with company.begin() as conn:
        for n in range(8):
            extra = {"type": "finance", "title": f"Extra {n}", "severity": "low"}
            conn.execute(schema.alerts.insert().values(**extra))
        record_data_change(conn, ["alerts"])
    body = client.get(f"/api/v1/dashboard{Q}").json()
    assert len(body["alerts"]) == 6  # the newest six are listed ...
    assert body["alerts_total"] == 11  # ... and the page can say "and 5 more"


def test_quarters_follow_each_series_kind(client: TestClient, company: Engine) -> None:
    body = client.get("/api/v1/dashboard?range=6m&granularity=quarter&as_of=2025-06").json()
    recognized, booked, backlog = body["revenue_trend"]
    assert [(p["period"], p["value"]) for p in recognized["points"]] == [
        ("2025-Q1", 300.0), ("2025-Q2", 1000.0),
    ]  # fmt: skip
    assert [p["value"] for p in booked["points"]] == [300.0, 1000.0]
    assert [p["value"] for p in backlog["points"]] == [500.0, 1200.0]  # quarter-end stock


def test_empty_database_gives_null_kpis_not_errors(client: TestClient) -> None:
    body = client.get("/api/v1/dashboard").json()
    assert all(k["value"] is None for k in body["kpis"])
    assert body["alerts"] == []


def test_kpi_list(client: TestClient, company: Engine) -> None:
    body = client.get(f"/api/v1/kpis{Q}").json()
    assert _kpis(body)["revenue"]["value"] == 1000.0
    assert body["timeframe"]["months"] == 3


def test_bad_window_parameters_are_422_naming_them(client: TestClient) -> None:
    for query, name in (("range=9m", "range"), ("granularity=week", "granularity"),
                        ("as_of=2025-13", "as_of"), ("as_of=0000-01", "as_of")):  # fmt: skip
        response = client.get(f"/api/v1/dashboard?{query}")
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["name"] == name
    message = client.get("/api/v1/dashboard?as_of=June").json()["errors"][0]["message"]
    assert message == "must be a month written YYYY-MM (years 1900–2999), e.g. 2025-08"


def test_dashboard_csv_is_the_revenue_trend(client: TestClient, company: Engine) -> None:
    response = client.get(f"/api/v1/dashboard{Q}&format=csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="revenue-trend-3m-month-2025-06.csv"'
    )
    assert response.text.splitlines() == [
        "period,partial,months,recognized,booked,backlog",
        "2025-04,false,1,200.0,300.0,900.0",
        "2025-05,false,1,300.0,300.0,1000.0",
        "2025-06,false,1,500.0,400.0,1200.0",
    ]


def test_every_kpi_carries_previous_absolute_change_unit_and_coverage(
    client: TestClient, company: Engine
) -> None:
    kpis = _kpis(client.get(f"/api/v1/dashboard{Q}").json())
    revenue, uptime = kpis["revenue"], kpis["uptime"]
    assert (revenue["previous"], revenue["change"], revenue["change_unit"]) == (
        300.0, 700.0, "relative",
    )  # fmt: skip
    assert revenue["coverage"] == {
        "months": 3, "current": 3, "previous": 3, "complete": True, "previous_complete": True,
        "previous_start_month": "2025-01", "previous_end_month": "2025-03", "compare": "previous",
    }  # fmt: skip
    assert revenue["comparable"] is True
    assert uptime["change_unit"] == "points"
    assert uptime["coverage"]["previous"] == 0  # ops_uptime starts in 2025-04
    assert (uptime["comparable"], uptime["favourable"]) == (False, None)
    for kpi in kpis.values():
        assert {"previous", "change", "delta", "change_unit", "coverage", "comparable"} <= set(kpi)


def test_an_as_of_past_the_data_is_flagged_and_its_changes_are_not_trends(
    client: TestClient, company: Engine
) -> None:
    body = client.get("/api/v1/dashboard?range=3m&as_of=2025-08").json()
    frame = body["timeframe"]
    assert (frame["data_first_month"], frame["data_last_month"]) == ("2025-01", "2025-06")
    assert (frame["beyond_data"], frame["before_data"]) == (True, False)
    revenue = _kpis(body)["revenue"]
    assert revenue["value"] == 500.0  # June–August: only June has data
    assert revenue["coverage"]["current"] == 1
    assert (revenue["comparable"], revenue["favourable"]) == (False, None)
    assert _kpis(body)["forecast"]["value"] is None  # no actual for August to forecast from
    inside = client.get(f"/api/v1/dashboard{Q}").json()["timeframe"]
    assert inside["beyond_data"] is False
    early = client.get("/api/v1/dashboard?range=3m&as_of=2024-06").json()["timeframe"]
    assert (early["before_data"], early["beyond_data"]) == (True, False)
    empty = client.get("/api/v1/kpis?range=3m&as_of=2024-06").json()["kpis"]
    assert all(k["comparable"] is False or k["value"] is None for k in empty)


def test_domain_tiles_and_series_carry_change_and_coverage(
    client: TestClient, company: Engine
) -> None:
    body = client.get(f"/api/v1/retention{Q}").json()
    tiles = {k["key"]: k for k in body["kpis"]}
    assert tiles["gross_churn"]["change_unit"] == "points"
    assert (
        tiles["gross_churn"]["basis"] == "mean over the window of monthly trailing-12-month rates"
    )
    assert tiles["nrr"]["basis"] == "trailing 12 months to Jun 2025"
    series = {s["key"]: s for s in body["series"]}
    assert series["nrr"]["coverage"]["current"] == 1
    assert series["nrr"]["total"] == tiles["nrr"]["value"] == 1.05
