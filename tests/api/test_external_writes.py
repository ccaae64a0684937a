"""Writes by other programs (a plain `sqlite3` connection, `psql`) are seen by the next request.

Each test warms the cache and the kept default-window KPI answer, writes the seed tables behind
execdash's back, then reads through the API and compares with a recompute: the same database
with every rollup rebuilt from the raw rows, served by a fresh app.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.changes import record_data_change
from execdash.db.engine import create_engine
from tests.conftest import require

URLS = (
    "/api/v1/kpis",
    "/api/v1/kpis?range=3m",
    "/api/v1/kpis/revenue?by=customer",
    "/api/v1/kpis/gm?by=industry&range=24m",
    "/api/v1/kpis/arr",
    "/api/v1/dashboard",
    "/api/v1/finance",
    "/api/v1/sales",
    "/api/v1/marketing",
    "/api/v1/telemetry",
    "/api/v1/products",
)


def _answers(client: TestClient) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        out[url] = response.json()
    return out


def _recomputed(url: str) -> dict[str, Any]:
    """The answers of a fresh app after every rollup was rebuilt from the raw rows."""
    engine = create_engine(url)
    with engine.begin() as conn:
        rollups.rebuild_all(conn)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url))) as client:
        return _answers(client)


def _rounded(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Rows with sums rounded to the cent: a sum in another order differs in its last bits."""
    return [tuple(round(v, 2) if isinstance(v, float) else v for v in row) for row in rows]


def _assert_rollups_match_raw_rows(engine: Engine) -> None:
    with engine.connect() as conn:
        for rollup in rollups.ROLLUPS:
            stored, raw = rollups.snapshot(conn, rollup), rollups.recompute(conn, rollup)
            assert _rounded(stored) == _rounded(raw), rollup.target.name


def _rounded_json(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded_json(v) for v in value]
    return value


def _without_volatile(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with floats to 6 places (sums in another order differ in their last bits);
    data versions and update times (dashboard, domain pages) differ between two databases by
    design."""
    out = _rounded_json(answers)
    for url, answer in out.items():
        if isinstance(answer, dict):
            out[url] = {
                k: v for k, v in answer.items() if k not in ("data_version", "last_data_update")
            }
    return out


SQLITE_WRITES = """
INSERT INTO orders (customer_id, amount, profit, order_date, type)
  VALUES (1, 250000, 90000, '2026-10-30 18:00:00', 'subscription');
UPDATE orders SET amount = amount * 3
  WHERE id IN (SELECT id FROM orders WHERE order_date < '2026-03-01' LIMIT 40);
DELETE FROM expenses WHERE id IN (SELECT id FROM expenses ORDER BY id LIMIT 25);
DELETE FROM user_events WHERE id IN (SELECT id FROM user_events ORDER BY id DESC LIMIT 30);
INSERT INTO page_visits (page_name, visit_date) VALUES ('pricing', '2026-10-15');
UPDATE top_products_daily SET revenue = revenue + 1000 WHERE period >= '2026-10-01';
DELETE FROM pipeline_stages_daily WHERE period = (SELECT max(period) FROM pipeline_stages_daily);
UPDATE revenue_trend SET recognized = recognized * 2 WHERE period = '2026-10';
"""


def test_a_plain_sqlite3_write_is_seen_by_the_next_request(
    demo_engine: Engine, tmp_path: Path
) -> None:
    url = demo_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        before = _answers(client)
        assert _answers(client) == before  # now every answer is cached
        other = sqlite3.connect(str(demo_engine.url.database))  # another program
        other.executescript(f"BEGIN; {SQLITE_WRITES} COMMIT;")
        other.close()
        after = _answers(client)
    _assert_rollups_match_raw_rows(demo_engine)  # the read caught the rollups up
    for url_ in URLS:
        if url_ != "/api/v1/telemetry":
            assert after[url_] != before[url_], url_
    copy = tmp_path / "recomputed.db"
    with sqlite3.connect(str(demo_engine.url.database)) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # with what is still in the WAL
    assert _without_volatile(after) == _without_volatile(_recomputed(f"sqlite:///{copy}"))


def test_a_stale_rollup_is_never_read_before_it_is_caught_up(demo_engine: Engine) -> None:
    revenue = rollups.by_target(t.rollup_orders_month.name)
    other = sqlite3.connect(str(demo_engine.url.database))
    other.execute("UPDATE orders SET amount = amount + 1 WHERE id = 1")
    other.commit()
    other.close()
    with demo_engine.connect() as conn:
        assert not rollups.is_ready(conn, revenue)  # readers use the raw rows meanwhile
        assert rollups.has_ready_mark(conn, revenue)


def test_a_write_through_execdash_leaves_nothing_stale(demo_engine: Engine) -> None:
    with demo_engine.begin() as conn:
        conn.execute(
            s.orders.insert().values(
                customer_id=1, amount=5.0, profit=1.0, order_date=dt.date(2026, 10, 2), type="one"
            )
        )
        record_data_change(conn, ["orders"], {"orders": (dt.date(2026, 10, 2),) * 2})
    with demo_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM execdash_stale")).scalar_one() == 0
        assert all(rollups.is_ready(conn, r) for r in rollups.ROLLUPS)
    _assert_rollups_match_raw_rows(demo_engine)


PSQL_WRITES = """
BEGIN;
INSERT INTO orders (id, customer_id, amount, profit, order_date, type)
  VALUES (100, 1, 700, 300, '2025-06-30', 'subscription');
UPDATE orders SET amount = amount + 100 WHERE id = 1;
DELETE FROM expenses WHERE date < '2025-06-01';
UPDATE revenue_trend SET recognized = 900 WHERE period = '2025-06';
COMMIT;
"""


@pytest.mark.postgres
def test_a_psql_write_is_seen_by_the_next_request(postgres_server_url: str) -> None:
    require(shutil.which("psql") is not None, "the psql client is not installed")
    from tests.conftest import _fresh_postgres_database

    url = _fresh_postgres_database(postgres_server_url)
    engine = create_engine(url)
    from execdash.db import migrate

    migrate.upgrade(engine)
    _small_company(engine)
    try:
        with TestClient(create_app(Settings(database_url=url))) as client:
            before = _answers(client)
            dsn = url.replace("postgresql+psycopg://", "postgresql://")
            subprocess.run(
                ["psql", dsn, "-v", "ON_ERROR_STOP=1", "-q", "-c", PSQL_WRITES],
                check=True,
                capture_output=True,
            )
            after = _answers(client)
        _assert_rollups_match_raw_rows(engine)
        assert after["/api/v1/kpis"] != before["/api/v1/kpis"]
        assert _without_volatile(after) == _without_volatile(_recomputed(url))
    finally:
        engine.dispose()


def _small_company(engine: Engine) -> None:
    """A year of facts written through execdash (rollups ready), as an import would leave it."""
    months = [dt.date(2024, 7, 1) + dt.timedelta(days=31 * i) for i in range(12)]
    with engine.begin() as conn:
        conn.execute(
            s.customers.insert(),
            [{"id": i, "name": f"C{i}", "industry": "Retail", "source": "web"} for i in (1, 2)],
        )
        conn.execute(
            s.revenue_trend.insert(),
            [
                {"period": m.isoformat()[:7], "recognized": 100 + i, "booked": 120, "backlog": 50}
                for i, m in enumerate(months)
            ],
        )
        conn.execute(
            s.orders.insert(),
            [
                {
                    "id": i + 1,
                    "customer_id": 1 + i % 2,
                    "amount": 100.0 + i,
                    "profit": 40.0,
                    "order_date": m.replace(day=10),
                    "type": "subscription",
                }
                for i, m in enumerate(months)
            ],
        )
        conn.execute(
            s.expenses.insert(),
            [{"cost": 30.0 + i, "date": m.replace(day=5)} for i, m in enumerate(months)],
        )
        record_data_change(conn)
        rollups.rebuild_all(conn)
