"""A part of an answer is computed once per version of the tables it reads: acknowledging an
alert recomputes the overview's alert list, not its KPIs, and the answer stays the same."""

from __future__ import annotations

import datetime as dt
import threading

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.partcache import PartCache
from execdash.config import Settings
from execdash.db.changes import record_data_change
from execdash.db.schema import orders
from tests.api.conftest import bearer


def test_a_part_is_computed_once_per_key_and_the_oldest_go_first() -> None:
    cache = PartCache(max_parts=2)
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert cache.get_or_compute("a", lambda: compute("a")) == "A"
    assert cache.get_or_compute("a", lambda: compute("a")) == "A"
    assert cache.get_or_compute("b", lambda: compute("b")) == "B"
    assert cache.get_or_compute("a", lambda: compute("a")) == "A"  # a is now the newest
    assert cache.get_or_compute("c", lambda: compute("c")) == "C"  # evicts b
    assert cache.get_or_compute("a", lambda: compute("a")) == "A"
    assert cache.get_or_compute("b", lambda: compute("b")) == "B"
    assert calls == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses) == (3, 4)


def test_threads_asking_at_once_all_get_the_part() -> None:
    cache = PartCache()
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("k", lambda: 7)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [7] * 8


def _kpis(answer: dict[str, object]) -> object:
    return answer["kpis"]


def test_an_acknowledged_alert_reuses_the_overview_kpis_and_an_order_recomputes_them(
    settings: Settings, company: Engine, tokens: dict[str, str]
) -> None:
    with TestClient(create_app(settings)) as client:
        parts: PartCache = client.app.state.part_cache  # type: ignore[attr-defined]
        first = client.get("/api/v1/dashboard").json()
        computed = parts.misses
        assert computed >= 1
        with company.connect() as conn:
            alert_id = conn.execute(sa.text("SELECT min(id) FROM alerts")).scalar_one()
        acked = client.post(
            f"/api/v1/alerts/{alert_id}/acknowledge", headers=bearer(tokens["editor"])
        )
        assert acked.status_code == 200
        second = client.get("/api/v1/dashboard").json()
        assert second["data_version"] > first["data_version"]  # a new answer …
        assert parts.misses == computed  # … built on the KPIs already computed
        assert _kpis(second) == _kpis(first)
        # The seed system's dashboard shows the same KPIs without the plan: a part of its own.
        client.get("/api/executive-dashboard")
        with company.begin() as conn:
            customer = conn.execute(sa.text("SELECT min(id) FROM customers")).scalar_one()
            conn.execute(
                orders.insert().values(
                    customer_id=customer,
                    amount=1_000_000,
                    profit=1,
                    order_date=dt.date(2025, 6, 15),
                    type="recognized",
                )
            )
            record_data_change(conn, ["orders"])
        computed = parts.misses
        third = client.get("/api/v1/dashboard").json()
        assert parts.misses > computed
    with TestClient(create_app(settings)) as fresh:  # no part kept: computed from scratch
        assert _kpis(fresh.get("/api/v1/dashboard").json()) == _kpis(third)
