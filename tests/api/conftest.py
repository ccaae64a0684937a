"""API fixtures: an app over a migrated SQLite file, users of each role and their tokens."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import accounts, create_app
from execdash.api.accounts import add_user, create_token
from execdash.config import Settings
from execdash.db import schema

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash test passwords with tiny argon2id parameters: same algorithm, a fraction of the CPU."""
    monkeypatch.setattr(
        accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def settings(sqlite_url: str, engine: Engine) -> Settings:
    """Settings for the migrated SQLite database of this test."""
    del engine  # requested so the schema exists before the app opens the file
    return Settings(database_url=sqlite_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client on an open installation; server errors become 500 responses, not exceptions."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tokens(engine: Engine) -> dict[str, str]:
    """A bearer token per role: viewer, editor, admin (users named after the role)."""
    found: dict[str, str] = {}
    with engine.begin() as conn:
        for role in ("viewer", "editor", "admin"):
            add_user(conn, role, PASSWORD, role)
            found[role] = create_token(conn, role, name="tests")
    return found


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def rows(engine: Engine) -> Engine:
    """A small hand-built company: alerts, risks, at-risk customers, customers and feedback."""
    with engine.begin() as conn:
        conn.execute(
            schema.alerts.insert(),
            [
                {"id": 1, "type": "ops", "title": "Line 3 stopped", "severity": "high",
                 "description": "Press fault", "created_at": dt.datetime(2025, 6, 1, 9, 0)},
                {"id": 2, "type": "supply", "title": "Late resin", "severity": "low",
                 "description": None, "created_at": dt.datetime(2025, 6, 3, 9, 0)},
                {"id": 3, "type": "ops", "title": "=cmd|' /C calc'!A0", "severity": "medium",
                 "description": None, "created_at": dt.datetime(2025, 6, 2, 9, 0)},
            ],
        )  # fmt: skip
        conn.execute(
            schema.risks.insert(),
            [
                {"id": 1, "title": "Supplier insolvency", "owner": "COO",
                 "due": dt.date(2020, 1, 31), "mitigation": "Second source", "status": "open"},
                {"id": 2, "title": "FX exposure", "owner": "CFO", "due": dt.date(2099, 3, 31),
                 "mitigation": None, "status": "mitigating"},
                {"id": 3, "title": "Old audit finding", "owner": "CFO",
                 "due": dt.date(2020, 6, 30), "mitigation": None, "status": "closed"},
            ],
        )  # fmt: skip
        conn.execute(
            schema.retention_at_risk.insert(),
            [
                {"id": 1, "customer": "Acme", "mrr": 1000.0, "risk": 0.5, "reason": "Price"},
                {"id": 2, "customer": "Birch", "mrr": 4000.0, "risk": 0.25, "reason": None},
                {"id": 3, "customer": "Cobalt", "mrr": 500.0, "risk": 80.0, "reason": "Support"},
            ],
        )
        conn.execute(
            schema.customers.insert(),
            [
                {"id": 1, "name": "Acme", "industry": "Retail", "source": "Web",
                 "created_at": dt.date(2024, 1, 15)},
                {"id": 2, "name": "Birch", "industry": "Health", "source": "Partner",
                 "created_at": dt.date(2025, 2, 1)},
                {"id": 3, "name": "Cobalt", "industry": "Retail", "source": "Web",
                 "created_at": dt.date(2025, 5, 20)},
            ],
        )  # fmt: skip
        conn.execute(
            schema.feedback.insert(),
            [
                {"id": 1, "customer_id": 1, "type": "praise", "message": "Great uptime",
                 "created_at": dt.datetime(2025, 5, 1, 12, 0)},
                {"id": 2, "customer_id": None, "type": "complaint", "message": "Slow support",
                 "created_at": dt.datetime(2025, 6, 1, 12, 0)},
            ],
        )  # fmt: skip
    return engine


@pytest.fixture
def company(rows: Engine) -> Engine:
    """`rows` plus six months of facts (2025-01..06) whose KPIs are computed by hand in tests."""
    trend = [
        ("2025-01", 100, 120, 500), ("2025-02", 100, 100, 500), ("2025-03", 100, 80, 500),
        ("2025-04", 200, 300, 900), ("2025-05", 300, 300, 1000), ("2025-06", 500, 400, 1200),
    ]  # fmt: skip
    with rows.begin() as conn:
        conn.execute(
            schema.revenue_trend.insert(),
            [{"period": p, "recognized": r, "booked": b, "backlog": k} for p, r, b, k in trend],
        )
        conn.execute(
            schema.ops_uptime.insert(),
            [{"period": "2025-04", "uptime": 0.99}, {"period": "2025-05", "uptime": 0.96},
             {"period": "2025-06", "uptime": 0.99}],
        )  # fmt: skip
        conn.execute(
            schema.orders.insert(),
            [{"id": 1, "customer_id": 1, "amount": 1000.0, "profit": 400.0,
              "order_date": dt.date(2025, 5, 10), "type": "subscription"},
             {"id": 2, "customer_id": 2, "amount": 500.0, "profit": 100.0,
              "order_date": dt.date(2025, 6, 30), "type": "recurring"}],
        )  # fmt: skip
        conn.execute(
            schema.retention_nrr.insert().values(
                period="2025-06", nrr=1.05, gross_churn=0.02, expansion=0.07
            )
        )
        conn.execute(
            schema.pipeline_stages_daily.insert(),
            [{"period": dt.date(2025, 5, 2), "stage_name": s, "value": v}
             for s, v in (("Leads", 10), ("MQL", 5), ("SQL", 2), ("Won", 1))],
        )  # fmt: skip
        conn.execute(
            schema.page_visits.insert(),
            [{"visit_date": dt.date(2025, 5, 1 + i % 28), "page_name": "home"} for i in range(20)],
        )
        conn.execute(
            schema.top_products_daily.insert(),
            [{"period": dt.date(2025, 5, 1), "name": "Press A", "revenue": 300.0},
             {"period": dt.date(2025, 6, 15), "name": "Kit B", "revenue": 100.0}],
        )  # fmt: skip
        conn.execute(
            schema.supply_cogs_breakdown.insert(),
            [{"component": "Chips", "cost": 600.0}, {"component": "Housing", "cost": 400.0}],
        )
        conn.execute(
            schema.telemetry_active_devices.insert(),
            [{"period": "2025-05", "active_devices": 100},
             {"period": "2025-06", "active_devices": 120}],
        )  # fmt: skip
    return rows


@pytest.fixture
def locked_client(settings: Settings) -> Iterator[TestClient]:
    """A client of an installation where every read needs a login."""
    locked = dataclasses.replace(settings, read_requires_login=True)
    with TestClient(create_app(locked)) as client:
        yield client
