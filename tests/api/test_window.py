"""The shared window parameters: `compare` on every windowed endpoint, the fiscal year setting."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import schema

Q = "range=3m&as_of=2025-06"


@pytest.fixture
def last_year(company: Engine) -> Engine:
    """`company` plus April–June 2024 revenue (50 + 150 + 200 = 400) to compare with."""
    with company.begin() as conn:
        conn.execute(
            schema.revenue_trend.insert(),
            [{"period": p, "recognized": r, "booked": r, "backlog": 300}
             for p, r in (("2024-04", 50), ("2024-05", 150), ("2024-06", 200))],
        )  # fmt: skip
    return company


@pytest.fixture
def uk_client(settings: Settings) -> Iterator[TestClient]:
    """An installation whose fiscal year starts in April."""
    with TestClient(create_app(dataclasses.replace(settings, fiscal_year_start=4))) as client:
        yield client


def _revenue(body: dict[str, object]) -> dict[str, object]:
    kpis = body["kpis"]
    assert isinstance(kpis, list)
    return next(k for k in kpis if k["key"] == "revenue")


def test_default_compares_with_the_previous_period(client: TestClient, last_year: Engine) -> None:
    revenue = _revenue(client.get(f"/api/v1/dashboard?{Q}").json())
    # Apr–Jun 2025 = 200 + 300 + 500 = 1000 against Jan–Mar 2025 = 300
    assert (revenue["value"], revenue["previous"]) == (1000.0, 300.0)
    assert revenue["delta"] == pytest.approx(700 / 300)
    assert revenue["coverage"]["compare"] == "previous"
    assert client.get(f"/api/v1/dashboard?{Q}&compare=previous").json()["kpis"][0] == revenue


def test_last_year_compares_with_the_same_months_a_year_earlier(
    client: TestClient, last_year: Engine
) -> None:
    body = client.get(f"/api/v1/dashboard?{Q}&compare=last_year").json()
    revenue = _revenue(body)
    assert (revenue["value"], revenue["previous"], revenue["change"]) == (1000.0, 400.0, 600.0)
    assert revenue["delta"] == pytest.approx(1.5)
    assert revenue["comparable"] is True
    assert revenue["favourable"] is True
    coverage = revenue["coverage"]
    assert (coverage["previous_start_month"], coverage["previous_end_month"]) == (
        "2024-04",
        "2024-06",
    )
    assert coverage["compare"] == "last_year"
    frame = body["timeframe"]
    assert (frame["compare"], frame["compare_label"]) == ("last_year", "same period last year")
    assert (frame["previous_start_date"], frame["previous_end_date"]) == (
        "2024-04-01",
        "2024-06-30",
    )


def test_missing_last_year_withholds_the_change_like_any_incomplete_comparison(
    client: TestClient, company: Engine
) -> None:
    revenue = _revenue(client.get(f"/api/v1/dashboard?{Q}&compare=last_year").json())
    assert revenue["previous"] is None
    assert (revenue["coverage"]["previous"], revenue["coverage"]["previous_complete"]) == (0, False)
    assert revenue["comparable"] is False
    assert revenue["favourable"] is None


def test_domain_pages_drilldowns_and_drivers_follow_the_comparison(
    client: TestClient, last_year: Engine
) -> None:
    finance = client.get(f"/api/v1/finance?{Q}&compare=last_year").json()
    tile = next(t for t in finance["kpis"] if t["key"] == "revenue")
    assert tile["previous"] == 400.0
    drill = client.get(f"/api/v1/kpis/revenue?{Q}&compare=last_year").json()
    assert drill["kpi"]["previous"] == 400.0
    drivers = client.get(f"/api/v1/kpis/revenue/drivers?{Q}&by=industry&compare=last_year")
    assert drivers.status_code == 200, drivers.text
    assert drivers.json()["previous"] == 400.0
    seed = client.get(f"/api/executive-dashboard?{Q}&compare=last_year").json()
    assert next(k for k in seed["executiveKpis"] if k["key"] == "revenue")[
        "delta"
    ] == pytest.approx(1.5)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/dashboard", "/api/v1/kpis/revenue", "/api/v1/sales", "/api/v1/kpis/gm/drivers"],
)
def test_an_unknown_comparison_is_422_naming_the_parameter(client: TestClient, path: str) -> None:
    response = client.get(f"{path}?compare=budget")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["name"] == "compare"
    assert "previous, last_year" in error["message"]


def test_ytd_and_quarters_follow_the_fiscal_year(uk_client: TestClient, company: Engine) -> None:
    body = uk_client.get("/api/v1/dashboard?range=ytd&as_of=2025-06").json()
    frame = body["timeframe"]
    # UK: FY2026 runs April 2025 – March 2026, so YTD to June 2025 is April–June
    assert (frame["start_month"], frame["end_month"], frame["fiscal_year"]) == (
        "2025-04",
        "2025-06",
        "FY2026",
    )
    assert frame["fiscal_year_start"] == 4
    assert _revenue(body)["value"] == 1000.0
    trend = uk_client.get("/api/v1/dashboard?range=12m&granularity=quarter&as_of=2025-06").json()
    periods = [(p["period"], p["value"]) for p in trend["revenue_trend"][0]["points"]]
    assert periods == [
        ("FY2025-Q2", None),
        ("FY2025-Q3", None),
        ("FY2025-Q4", 300.0),
        ("FY2026-Q1", 1000.0),
    ]


def test_csv_periods_and_file_names_carry_the_fiscal_quarters_and_comparison(
    uk_client: TestClient, company: Engine
) -> None:
    response = uk_client.get(
        "/api/v1/dashboard?range=6m&granularity=quarter&as_of=2025-06&compare=last_year&format=csv"
    )
    assert response.headers["content-disposition"] == (
        'attachment; filename="revenue-trend-6m-quarter-2025-06-vs-last_year.csv"'
    )
    lines = response.text.splitlines()
    assert lines[1].startswith("FY2025-Q4,false,3,300")
    assert lines[2].startswith("FY2026-Q1,false,3,1000")


def test_etags_differ_by_comparison_and_by_fiscal_year(
    client: TestClient, uk_client: TestClient, company: Engine
) -> None:
    url = "/api/v1/dashboard?range=ytd&as_of=2025-06"
    january = client.get(url)
    april = uk_client.get(url)
    assert january.headers["etag"] != april.headers["etag"]
    assert january.json()["timeframe"]["start_month"] == "2025-01"
    again = uk_client.get(url, headers={"If-None-Match": january.headers["etag"]})
    assert again.status_code == 200
    assert again.json()["timeframe"]["start_month"] == "2025-04"
    other = client.get(f"{url}&compare=last_year")
    assert other.headers["etag"] != january.headers["etag"]
    assert other.json()["timeframe"]["compare"] == "last_year"
    cached = client.get(url)
    assert cached.json()["timeframe"]["compare"] == "previous"
