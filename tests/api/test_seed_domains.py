"""The seed front end's five domain pages: every call, every field it reads, in its units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import migrate
from execdash.db.engine import create_engine
from tests.api.seed_contract import (
    ANSWER,
    BY,
    CARDS,
    COUNT_ROWS,
    DASHBOARD,
    DRILL,
    EXECUTIVE_CARDS,
    OVERVIEWS,
    check,
    drill_calls,
    number,
)
from tests.conftest import _fresh_postgres_database

WINDOW = "?range=12m&granularity=month"
CRASH_ON_NULL = ("sales", "supply", "manufacturing")
"""Pages that crash on a null card value but show a missing card as "—"."""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_url(request: pytest.FixtureRequest) -> str:
    """The demo company on SQLite (the shared file) and on PostgreSQL (a smaller copy)."""
    if request.param == "sqlite":
        engine: Engine = request.getfixturevalue("demo_engine")
        return engine.url.render_as_string(hide_password=False)
    from execdash.demo import generate

    url = _fresh_postgres_database(request.getfixturevalue("postgres_server_url"))
    engine = create_engine(url)
    migrate.upgrade(engine)
    generate(engine, seed=7, orders=3000, months=24, end_month=dt.date(2026, 10, 1),
             progress=False)  # fmt: skip
    engine.dispose()
    return url


def _client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def demo(demo_url: str) -> Iterator[TestClient]:
    """A client on the demo company."""
    yield from _client(demo_url)


@pytest.fixture
def empty(any_engine: Engine) -> Iterator[TestClient]:
    """A client on a migrated database with no data, on each backend."""
    yield from _client(any_engine.url.render_as_string(hide_password=False))


def _get(client: TestClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text)
    assert response.headers["content-type"] == "application/json", url
    return response.json()


def _cards(body: Any) -> dict[str, Any]:
    return {k["key"]: k for k in body["kpis"]}


def _drill_problems(url: str, body: Any) -> list[str]:
    spec = {**DRILL, **(COUNT_ROWS if "/marketing/" in url or "/manufacturing/" in url else {})}
    problems = [f"{url}: {p}" for p in check(body, spec)]
    if body["series"]:
        lines = set(body["series"][0])
        for row in body["series"]:
            if set(row) != lines:
                problems.append(f"{url}: series rows differ in keys: {row}")
            if any(v is not None and not number(v) for k, v in row.items() if k != "period"):
                problems.append(f"{url}: non-number in series row {row}")
    return problems


def _every_call(client: TestClient) -> dict[str, Any]:
    """Every overview and drill-down the seed pages request, by URL, checked for shape."""
    bodies: dict[str, Any] = {}
    problems: list[str] = []
    for domain, spec in OVERVIEWS.items():
        url = f"/api/{domain}/overview{WINDOW}"
        bodies[url] = _get(client, url)
        problems += [f"{url}: {p}" for p in check(bodies[url], spec)]
    for url in drill_calls():
        bodies[url] = _get(client, url)
        problems += _drill_problems(url, bodies[url])
    assert problems == []
    return bodies


def test_every_call_serves_the_fields_the_pages_read_on_the_demo_company(
    demo: TestClient,
) -> None:
    bodies = _every_call(demo)
    for domain, keys in CARDS.items():
        cards = _cards(bodies[f"/api/{domain}/overview{WINDOW}"])
        assert sorted(cards) == sorted(keys), domain
        assert all(number(c["value"]) for c in cards.values()), domain
    for url, body in bodies.items():
        if "/kpis/" in url and body["breakdown"]:
            assert sum(r["share"] for r in body["breakdown"]) == pytest.approx(1.0), url


def test_units_are_the_ones_each_page_assumes(demo: TestClient) -> None:
    finance = _cards(_get(demo, f"/api/finance/overview{WINDOW}"))
    assert finance["revenue"]["unit"] == "£"
    assert 0 < finance["gm"]["value"] < 1  # fraction: the page multiplies by 100
    sales = _get(demo, f"/api/sales/overview{WINDOW}")
    assert 0 < _cards(sales)["win_rate"]["value"] < 1
    assert all(0 < p["win_rate_pct"] < 1 for p in sales["winrateTrend"])
    assert 10 < _cards(sales)["sales_cycle"]["value"] < 365  # days
    marketing = _cards(_get(demo, f"/api/marketing/overview{WINDOW}"))
    assert 1 < marketing["conversion"]["value"] < 100  # percent, printed as is
    assert -100 <= marketing["nps"]["value"] <= 100
    assert abs(marketing["nps"]["value"]) > 1  # NPS points, not a fraction
    assert 1 <= marketing["csat"]["value"] <= 5
    supply = _get(demo, f"/api/supply/overview{WINDOW}")
    assert 0.1 < _cards(supply)["cogs_variance"]["value"] < 100  # percent
    assert any(p["variance_pct"] > 0.1 for p in supply["cogsVarianceTrend"])
    manufacturing = _get(demo, f"/api/manufacturing/overview{WINDOW}")
    cards = _cards(manufacturing)
    assert 90 < cards["uptime"]["value"] <= 100  # percent
    assert all(0.05 < cards[k]["value"] < 100 for k in ("doa", "defect", "warranty"))
    assert cards["mtbf"]["unit"] == "h"
    assert cards["cost_per_device"]["unit"] == "£"
    assert all(p["doa"] > 0.05 for p in manufacturing["qualityTrend"] if p["doa"] is not None)
    # Drill-down charts multiply a rate by 100 when the line's maximum is <= 2 (marketing) or
    # <= 1.5 (manufacturing): 0–1 ratios always come out right, percent only above those.
    conversion = _get(demo, f"/api/marketing/kpis/conversion{WINDOW}&by=source")
    assert conversion["unit"] == "%"
    assert all(0 < r["conversion"] < 1 for r in conversion["series"] if r["conversion"])
    for key in ("uptime", "doa", "defect", "warranty"):
        drill = _get(demo, f"/api/manufacturing/kpis/{key}{WINDOW}&by=fault_type")
        assert drill["unit"] == "%"
        assert all(0 < r[key] < 1 for r in drill["series"] if r[key] is not None), key


def test_same_number_as_the_dashboard_and_the_own_api(demo: TestClient) -> None:
    dashboard = _cards({"kpis": _get(demo, f"/api/executive-dashboard{WINDOW}")["executiveKpis"]})
    finance = _cards(_get(demo, f"/api/finance/overview{WINDOW}"))
    for key in CARDS["finance"]:
        assert finance[key]["value"] == dashboard[key]["value"], key
    uptime = _get(demo, f"/api/operations/uptime{WINDOW}")["value"]
    manufacturing = _cards(_get(demo, f"/api/manufacturing/overview{WINDOW}"))
    assert manufacturing["uptime"]["value"] == pytest.approx(100 * uptime)
    own = {k["key"]: k["value"] for k in _get(demo, f"/api/v1/sales{WINDOW}")["kpis"]}
    sales = _cards(_get(demo, f"/api/sales/overview{WINDOW}"))
    for key in ("leads", "won", "win_rate", "sales_cycle", "new_customers", "avg_deal"):
        assert sales[key]["value"] == own[key], key
    assert sales["revenue"]["value"] == dashboard["revenue"]["value"]


def test_an_empty_database_answers_every_call_without_a_null_that_crashes_a_page(
    empty: TestClient,
) -> None:
    bodies = _every_call(empty)
    for domain in CRASH_ON_NULL:
        body = bodies[f"/api/{domain}/overview{WINDOW}"]
        assert all(number(c["value"]) for c in body["kpis"]), domain
    finance = _cards(bodies[f"/api/finance/overview{WINDOW}"])
    assert sorted(finance) == sorted(CARDS["finance"])
    assert finance["revenue"]["value"] is None  # no data is null, never 0


Q6 = "?range=6m&as_of=2025-06"


def test_hand_computed_values_on_a_small_company(client: TestClient, company: Engine) -> None:
    finance = _cards(_get(client, f"/api/finance/overview{Q6}"))
    assert finance["revenue"]["value"] == 1300.0
    sales = _cards(_get(client, f"/api/sales/overview{Q6}"))
    assert (sales["leads"]["value"], sales["mql"]["value"], sales["sql"]["value"]) == (10, 5, 2)
    assert sales["avg_deal"]["value"] == 1300.0  # Σ booked 1300 / 1 won deal
    marketing = _cards(_get(client, f"/api/marketing/overview{Q6}"))
    assert marketing["visits"]["value"] == 20
    assert marketing["conversion"]["value"] == 50.0  # 10 leads / 20 visits, in percent
    supply = _get(client, f"/api/supply/overview{Q6}")
    assert _cards(supply)["cogs_total"]["value"] == 1000.0
    assert supply["cogsBreakdown"][0] == {
        "name": "Chips", "value": 600.0, "count": None, "share": 0.6, "rate": None,
    }  # fmt: skip
    uptime = _cards(_get(client, "/api/manufacturing/overview?range=3m&as_of=2025-06"))["uptime"]
    assert uptime["value"] == pytest.approx(100 * (0.99 * 30 + 0.96 * 31 + 0.99 * 30) / 91)
    gm = _get(client, f"/api/finance/kpis/gm{Q6}&by=customer")
    assert gm["breakdown"][0] == {
        "name": "Acme", "value": 400.0, "count": None, "share": 0.8, "rate": 0.4,
    }  # fmt: skip
    revenue = _get(client, f"/api/finance/kpis/revenue{Q6}&granularity=quarter")
    assert revenue["series"] == [
        {"period": "2025-Q1", "recognized": 300.0, "booked": 300.0, "backlog": 500.0},
        {"period": "2025-Q2", "recognized": 1000.0, "booked": 1000.0, "backlog": 1200.0},
    ]


def test_partial_quarters_are_flagged_outside_the_series(
    client: TestClient, company: Engine
) -> None:
    body = _get(client, "/api/finance/kpis/gm?range=6m&granularity=quarter&as_of=2025-05")
    assert body["partial_periods"] == ["2024-Q4", "2025-Q2"]
    assert all(set(row) == {"period", "gm"} for row in body["series"])


def test_errors_are_json_sentences_the_seed_pages_can_show(client: TestClient) -> None:
    unknown = client.get("/api/sales/kpis/ebitda")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/json"
    assert "ebitda" in unknown.json()["message"]
    assert "pipeline" in unknown.json()["message"]  # says what would work
    bad = client.get("/api/supply/overview?range=5m")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/json"
    assert "range" in bad.json()["message"]
    wrong_by = client.get("/api/finance/kpis/gm?by=product")
    assert wrong_by.status_code == 422
    assert wrong_by.json()["message"].endswith(
        "gm can be broken down by customer, industry, source"
    )
    own = client.get("/api/v1/kpis/ebitda")
    assert own.headers["content-type"] == "application/problem+json"


def test_every_by_button_of_each_page_is_accepted(client: TestClient) -> None:
    for domain, values in BY.items():
        for by in values:
            key = "revenue" if domain in ("finance", "sales") else None
            key = key or {"marketing": "nps", "supply": "lead_time",
                          "manufacturing": "mttr"}[domain]  # fmt: skip
            suffix = f"?by={by}" if by else ""
            assert client.get(f"/api/{domain}/kpis/{key}{suffix}").status_code == 200


def test_a_locked_installation_asks_for_a_login_in_a_sentence(locked_client: TestClient) -> None:
    for url in ("/api/finance/overview", "/api/manufacturing/kpis/uptime", "/api/search?q=x"):
        response = locked_client.get(url)
        assert response.status_code == 401, url
        assert response.headers["content-type"] == "application/json"
        assert response.json()["message"], url


SEARCH_FIELDS = {"id": str, "title": str, "type": str, "description": str, "category": str,
                 "url": str}  # fmt: skip


def _search_contract(client: TestClient, query: str) -> list[dict[str, Any]]:
    body = _get(client, f"/api/search?q={query}&limit=10")
    assert isinstance(body, list)
    assert len(body) <= 10
    for item in body:
        assert all(isinstance(item[k], t) for k, t in SEARCH_FIELDS.items()), item
        assert item["url"].startswith("/")
    assert len({item["id"] for item in body}) == len(body)
    return body


def test_search_answers_the_top_bar_on_the_demo_company(demo: TestClient) -> None:
    assert _search_contract(demo, "revenue")[0]["id"] == "kpi:revenue"
    customer = _get(demo, "/api/v1/customers?sort=name&page_size=1")["items"][0]["name"]
    found = _search_contract(demo, customer.split()[0][:5])
    assert customer in [r["title"] for r in found if r["type"] == "customer"]


def test_search_answers_on_an_empty_database(empty: TestClient) -> None:
    found = _search_contract(empty, "margin")
    assert found[0]["id"] == "kpi:gm"
    assert {r["type"] for r in found} == {"kpi", "page"}  # no data, so no customer or alert
    assert _search_contract(empty, "no such thing anywhere") == []


UI_EVENTS = [
    {"event_type": "switch_range_or_granularity", "event_time": "2026-11-30T03:45:49.320Z",
     "meta": {"range": "12m", "granularity": "month"}},
    {"event_type": "export_csv", "event_time": "2026-11-30T03:45:50.000Z",
     "meta": {"range": "6m", "granularity": "quarter"}},
    {"event_type": "drilldown", "event_time": "2026-11-30T03:45:51.000Z",
     "meta": {"key": "revenue", "range": "12m", "granularity": "month"}},
    {"event_type": "alert_click", "event_time": "2026-11-30T03:45:52.000Z",
     "meta": {"id": "2", "type": "ops"}},
    {"event_type": "drilldown", "meta": {"ai_latency_ms": 60}},
]  # fmt: skip
"""Every body the dashboard and the "Ask AI" panel post to /api/events (B2)."""


def _shell_contract(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """B1 as the dashboard and the "Ask AI" panel ask for it, A6 with it, and B2's events;
    return the dashboard and the answer to "why did revenue change" over its window."""
    for url in (f"/api/executive-dashboard{WINDOW}", "/api/executive-dashboard?range=6m"
                "&granularity=quarter", "/api/executive-dashboard"):  # fmt: skip
        board = _get(client, url)
        assert check(board, DASHBOARD) == [], url
        assert sorted(k["key"] for k in board["executiveKpis"]) == sorted(EXECUTIVE_CARDS)
    answers = []
    for data in (board, None):
        question = {"provider": "auto", "question": "Why did revenue change?", "data": data}
        answer = client.post("/api/ai-summary", json=question)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        assert check(answer.json(), ANSWER) == []
        assert answer.json()["summary"]
        answers.append(answer.json())
    for event in UI_EVENTS:
        logged = client.post("/api/events", json=event)
        assert logged.status_code == 200, logged.text
    return board, answers[0]


def test_the_dashboard_ask_ai_and_events_answer_the_ui_on_the_demo_company(
    demo: TestClient,
) -> None:
    board, why = _shell_contract(demo)
    assert why["summary"].startswith("Revenue ")
    assert why["highlights"], "the customers that moved revenue most"
    cards = {k["key"]: k for k in board["executiveKpis"]}
    assert all(number(c["value"]) for c in cards.values())
    for key in ("gm", "nrr", "uptime"):  # fractions: the page multiplies up to 2 by 100
        assert 0 < cards[key]["value"] <= 2, key
    assert {cards[k]["unit"] for k in ("revenue", "backlog", "arr", "forecast")} == {"£"}
    assert board["alerts"]
    assert board["risks"]


def test_the_dashboard_ask_ai_and_events_answer_the_ui_on_an_empty_database(
    empty: TestClient,
) -> None:
    board, _ = _shell_contract(empty)
    assert (board["alerts"], board["risks"]) == ([], [])
    assert all(k["value"] is None for k in board["executiveKpis"])  # shown as "—", never 0
    assert all(p[k] is None for p in board["revenueTrend"] for k in ("recognized", "booked"))
