"""The tables declared per endpoint are checked against reality, and the cache follows them.

For every seed table (and the alert workflow table) an endpoint does not declare, changing that
table must leave the endpoint's answer identical: the table is emptied (or, when empty, given a
row) on a copy of a small demo company by another program, and the answer recomputed by a fresh
app is compared with the original.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app, reads
from execdash.api.routes.domains import DOMAINS
from execdash.config import Settings
from execdash.db import migrate
from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.db.engine import create_engine
from execdash.db.tables import alert_status
from execdash.metrics.formulas import KPI_KEYS

SEED_DOMAINS = ("finance", "sales", "marketing", "supply", "manufacturing")
URLS = (
    "/api/v1/dashboard",
    "/api/v1/kpis",
    "/api/v1/kpis?range=3m&granularity=quarter",
    *(f"/api/v1/kpis/{key}" for key in KPI_KEYS),
    "/api/v1/kpis/revenue?by=customer",
    "/api/v1/kpis/gm?by=industry",
    "/api/v1/kpis/revenue?by=product",
    "/api/v1/kpis/arr?by=source",
    "/api/v1/kpis/revenue/drivers",
    "/api/v1/retention/mrr-movements",
    "/api/v1/summary",
    "/api/v1/alerts",
    "/api/v1/alerts/1",
    "/api/v1/risks",
    "/api/v1/at-risk-customers",
    "/api/v1/customers",
    "/api/v1/feedback",
    *(f"/api/v1/{domain[0]}" for domain in DOMAINS),
    "/api/executive-dashboard",
    "/api/kpis/revenue",
    "/api/operations/uptime",
    "/api/customers/at-risk",
    *(f"/api/{domain}/overview" for domain in SEED_DOMAINS),
    "/api/finance/kpis/gm",
    "/api/sales/kpis/pipeline",
    "/api/marketing/kpis/visits",
    "/api/supply/kpis/cogs_total",
    "/api/search?q=a",
)
TABLES = (*(table.name for table in s.metadata.sorted_tables), alert_status.name)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo company (2,000 orders over 18 months), one alert acknowledged."""
    from execdash.demo import generate

    path = tmp_path_factory.mktemp("reads") / "company.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    generate(engine, seed=7, orders=2000, months=18, end_month=dt.date(2026, 10, 1), progress=False)
    with engine.begin() as conn:
        conn.execute(alert_status.insert().values(alert_id=1, status="acknowledged"))
        record_data_change(conn, [alert_status.name])
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _answers(path: Path) -> dict[str, tuple[int, str]]:
    with TestClient(create_app(Settings(database_url=f"sqlite:///{path}"))) as client:
        found = {url: client.get(url) for url in URLS}
    return {url: (r.status_code, r.text) for url, r in found.items()}


def _changed_copy(company: Path, table: str, target: Path) -> None:
    """Copy the company, then change `table` the way another program would: empty it."""
    with sqlite3.connect(company) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    other = sqlite3.connect(target)
    other.execute("PRAGMA foreign_keys=OFF")
    other.execute(f'DELETE FROM "{table}"')
    other.commit()
    other.close()


@pytest.fixture(scope="module")
def reference(company: Path) -> dict[str, tuple[int, str]]:
    """Every answer on the unchanged company."""
    found = _answers(company)
    assert all(status == 200 for status, _ in found.values()), found
    return found


@pytest.mark.parametrize("table", TABLES)
def test_changing_a_table_an_endpoint_does_not_declare_leaves_its_answer_identical(
    table: str, company: Path, reference: dict[str, tuple[int, str]], tmp_path: Path
) -> None:
    copy = tmp_path / "changed.db"
    _changed_copy(company, table, copy)
    changed = _answers(copy)
    undeclared = [url for url in URLS if table not in (reads.tables_for(url.split("?")[0]) or ())]
    differing = [url for url in undeclared if changed[url] != reference[url]]
    assert differing == [], f"{table} changes {differing} but they do not declare it"


def test_every_read_endpoint_is_declared(sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url))
    paths = {p for p, ops in app.openapi()["paths"].items() if "get" in ops}
    undeclared = {
        p
        for p in paths
        if p.startswith("/api/")
        and not p.startswith(("/api/v1/auth/", "/api/health"))
        and reads.tables_for(p) is None
    }
    assert undeclared == set()


def test_an_undeclared_path_depends_on_every_table() -> None:
    assert reads.tables_for("/api/v1/something-new") is None
    assert reads.tables_for("/api/v1/kpisx") is None
    assert reads.tables_for("/api/v1/kpis/gm") == reads.DRILLDOWNS


@pytest.mark.parametrize(
    ("write", "kept", "dropped"),
    [
        ("event", ["/api/v1/kpis", "/api/v1/dashboard", "/api/v1/finance", "/api/v1/sales"], []),
        ("expenses", ["/api/v1/sales", "/api/v1/marketing", "/api/v1/alerts"], ["/api/v1/kpis"]),
    ],
)
def test_a_write_keeps_the_cached_answers_that_do_not_read_its_table(
    engine: Engine, sqlite_url: str, write: str, kept: list[str], dropped: list[str]
) -> None:
    del engine  # the migrated database
    with TestClient(create_app(Settings(database_url=sqlite_url))) as client:
        cache = client.app.state.response_cache  # type: ignore[attr-defined]
        tags = {url: client.get(url).headers["etag"] for url in kept + dropped}
        if write == "event":
            posted = client.post("/api/events", json={"event_type": "drilldown"})
            assert posted.status_code == 200, posted.text
        else:
            engine2 = create_engine(sqlite_url)
            with engine2.begin() as conn:
                conn.execute(s.expenses.insert().values(cost=5.0, date=dt.date(2026, 1, 5)))
                record_data_change(conn, ["expenses"])
            engine2.dispose()
        misses = cache.misses
        for url in kept:
            assert client.get(url).headers["etag"] == tags[url], url
        assert cache.misses == misses  # every kept answer was a hit
        for url in dropped:
            assert client.get(url).headers["etag"] != tags[url], url
