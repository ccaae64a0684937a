"""GET /api/search: ranked, limited matches over pages, KPIs, customers, alerts and risks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.search.catalogue import CATALOGUE
from execdash.api.search.records import customer_candidates, name_key, prefix_bound
from execdash.config import Settings
from execdash.db import schema
from tests.api.seed_contract import DRILL_KEYS

SEED_PAGES = {"/dashboard", "/finance", "/sales", "/marketing", "/supply", "/manufacturing",
              "/calendar", "/messages", "/profile", "/settings"}  # fmt: skip
FIELDS = {"id": str, "title": str, "type": str, "description": str, "category": str, "url": str}


@pytest.fixture
def searchable(any_engine: Engine) -> Iterator[TestClient]:
    """Customers named to exercise every tier, an at-risk one, alerts and risks, per backend."""
    names = ["Nacme Ltd", "Big Acme", "Acme Holdings", "Acme", "Zeta 100% Ltd", "Under_score"]
    with any_engine.begin() as conn:
        conn.execute(
            schema.customers.insert(),
            [{"id": i + 1, "name": n, "industry": "Retail", "source": "Web",
              "created_at": dt.date(2024, 1, 2)} for i, n in enumerate(names)],
        )  # fmt: skip
        conn.execute(
            schema.retention_at_risk.insert(),
            [{"customer": "Acme Holdings", "mrr": 1200.0, "risk": 0.4, "reason": "Price"}],
        )
        conn.execute(
            schema.alerts.insert(),
            [{"id": 1, "type": "supply", "title": "Resin supplier late", "severity": "high",
              "description": "Acme resin delayed two weeks"}],
        )  # fmt: skip
        conn.execute(
            schema.risks.insert(),
            [{"id": 1, "title": "FX exposure", "owner": "Dana CFO", "status": "open",
              "mitigation": "Hedge the euro book", "due": dt.date(2027, 1, 31)}],
        )  # fmt: skip
    url = any_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        yield client


def _search(client: TestClient, query: str, limit: int = 10) -> list[dict[str, Any]]:
    response = client.get("/api/search", params={"q": query, "limit": limit})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body, list)
    for item in body:
        assert all(isinstance(item[k], t) for k, t in FIELDS.items()), item
        assert item["href"] is None or item["href"].startswith("/")
    assert len({item["id"] for item in body}) == len(body)
    return body


def test_customers_rank_exact_then_prefix_then_word_then_substring(
    searchable: TestClient,
) -> None:
    found = [r["title"] for r in _search(searchable, "ACME") if r["type"] == "customer"]
    assert found == ["Acme", "Acme Holdings", "Big Acme", "Nacme Ltd"]


def _customers(client: TestClient, query: str) -> list[str]:
    return [r["title"] for r in _search(client, query) if r["type"] == "customer"]


def test_short_queries_match_customer_name_prefixes_only(searchable: TestClient) -> None:
    assert _customers(searchable, "ac") == ["Acme", "Acme Holdings"]
    assert _customers(searchable, "cm") == []


def test_the_limit_caps_the_answer(searchable: TestClient) -> None:
    assert len(_search(searchable, "acme", limit=2)) == 2
    assert len(_search(searchable, "e", limit=50)) <= 50


def test_like_wildcards_are_literal(searchable: TestClient, any_engine: Engine) -> None:
    assert _customers(searchable, "100%") == ["Zeta 100% Ltd"]
    assert _customers(searchable, "der_sc") == ["Under_score"]
    with any_engine.connect() as conn:  # below the ranking, which would hide a wildcard match
        assert customer_candidates(conn, "d_r", 10, "£") == []
        assert customer_candidates(conn, "00%", 10, "£")[0].title == "Zeta 100% Ltd"
        assert customer_candidates(conn, "e%", 10, "£") == []


def test_at_risk_customers_say_so_and_lead_to_retention(searchable: TestClient) -> None:
    holdings = next(r for r in _search(searchable, "acme h") if r["type"] == "customer")
    assert holdings["description"] == (
        "Retail · Web · customer since 2024-01-02 · at risk: £1,200 MRR, 40% likely to churn"
    )
    assert holdings["href"] == "/retention"
    assert holdings["url"] == "/finance/kpis/revenue?by=customer"


def test_alerts_and_risks_are_found_by_their_words(searchable: TestClient) -> None:
    alert = next(r for r in _search(searchable, "resin") if r["type"] == "alert")
    assert (alert["title"], alert["url"], alert["href"]) == (
        "Resin supplier late", "/supply", "/alerts",
    )  # fmt: skip
    assert alert["description"].startswith("high severity · open · ")
    risk = _search(searchable, "euro hedge")
    assert [(r["id"], r["description"]) for r in risk] == [
        ("risk:1", "open · owner Dana CFO · due 2027-01-31"),
    ]


def test_kpis_and_pages_come_first_for_their_names(searchable: TestClient) -> None:
    assert _search(searchable, "revenue")[0]["id"] == "kpi:revenue"
    assert _search(searchable, "Gross margin")[0]["id"] == "kpi:gm"
    assert _search(searchable, "manufacturing")[0]["id"] == "page:manufacturing"
    assert _search(searchable, "calendar")[0] == {
        "id": "page:calendar", "title": "Calendar", "type": "page",
        "description": "Meetings by day and month", "category": "Pages", "url": "/calendar",
        "href": None,
    }  # fmt: skip


def test_bad_parameters_get_a_sentence_in_json(searchable: TestClient) -> None:
    for params in ({}, {"q": "x", "limit": 0}, {"q": "x", "limit": 51}, {"q": "x" * 201}):
        response = searchable.get("/api/search", params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"] == "application/json"
        assert "parameter" in response.json()["message"]
    assert _search(searchable, "   ") == []


def test_an_empty_database_still_finds_pages_and_kpis(client: TestClient) -> None:
    assert [r["id"] for r in _search(client, "uptime")] == ["kpi:uptime", "page:manufacturing"]


def test_every_result_leads_to_a_page_that_exists(client: TestClient) -> None:
    seed_kpi = re.compile(r"^/(\w+)/kpis/(\w+)(\?by=\w+)?$")
    for c in CATALOGUE:
        match = seed_kpi.match(c.url)
        assert c.url in SEED_PAGES or (
            match is not None and match.group(2) in DRILL_KEYS[match.group(1)]
        ), c.url
        if c.href is not None:
            assert client.get(c.href).status_code == 200, c.href


@pytest.mark.usefixtures("searchable")
def test_a_name_prefix_is_read_through_the_index(any_engine: Engine) -> None:

    with any_engine.connect() as conn:
        key = name_key(conn)
        query = sa.select(schema.customers.c.id).where(key >= "acme", key < prefix_bound("acme"))
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        else:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "execdash_ix_customers_name" in plan
