"""The scheduled evaluation: registered with the server's scheduler, and what one run does."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.alerts import jobs, store
from execdash.config import Settings
from execdash.db import schema as s
from execdash.scheduler import registered_jobs


def test_the_evaluation_is_registered_with_the_scheduler(sqlite_url: str) -> None:
    found = {job.id: job for job in registered_jobs(Settings(database_url=sqlite_url))}
    assert found["alerts.evaluate"].run is jobs.evaluate_all


def test_a_scheduled_run_raises_the_alert_of_a_rule_already_true(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.revenue_trend.insert().values(period="2026-10", recognized=10.0))
        store.insert_rule(
            conn,
            {
                "name": "Floor",
                "metric": "revenue",
                "kind": "threshold",
                "direction": "below",
                "value": 100.0,
                "severity": "low",
            },
            "tester",
        )
    jobs.evaluate_all(any_engine)
    jobs.evaluate_all(any_engine)  # a second run finds it firing: still one alert
    with any_engine.connect() as conn:
        titles = conn.execute(sa.select(s.alerts.c.title)).scalars().all()
    assert titles == ["Revenue below £100 in Oct 2026"]
