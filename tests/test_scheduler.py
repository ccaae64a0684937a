"""The background scheduler: registered jobs run off the event loop, failures never stop them."""

from __future__ import annotations

import threading

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings, SettingsError
from execdash.scheduler import Job, Scheduler, enabled, registered_jobs
from tests.waiting import wait_until


def test_enabled_reads_the_flag_and_names_a_bad_value() -> None:
    assert enabled({}) is False
    assert enabled({"EXECDASH_SCHEDULER": "true"}) is True
    assert enabled({"EXECDASH_SCHEDULER": "off"}) is False
    with pytest.raises(SettingsError, match="EXECDASH_SCHEDULER='maybe'"):
        enabled({"EXECDASH_SCHEDULER": "maybe"})


def test_a_failing_job_is_logged_and_runs_again(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    runs: list[int] = []

    def flaky(_engine: Engine) -> None:
        runs.append(1)
        raise RuntimeError("smtp down")

    scheduler = Scheduler(
        Settings(database_url=sqlite_url), [Job("flaky", flaky, IntervalTrigger(seconds=0.05))]
    )
    scheduler.start()
    try:
        wait_until(lambda: len(runs) >= 2, 10, "a second run after a failure")
    finally:
        scheduler.shutdown()
    assert "scheduled job flaky failed: smtp down" in caplog.text


def test_jobs_run_in_a_thread_with_the_jobs_engine(sqlite_url: str) -> None:
    seen: list[tuple[str, str]] = []

    def probe(engine: Engine) -> None:
        with engine.connect() as conn:
            seen.append((threading.current_thread().name, str(conn.exec_driver_sql("SELECT 1")
                                                              .scalar())))  # fmt: skip

    scheduler = Scheduler(
        Settings(database_url=sqlite_url), [Job("probe", probe, IntervalTrigger(hours=1))]
    )
    scheduler.run_now("probe")
    scheduler.shutdown()
    assert seen == [(threading.current_thread().name, "1")]


def test_the_app_starts_and_stops_the_scheduler_only_when_asked(engine: Engine) -> None:
    settings = Settings(database_url=str(engine.url))
    with TestClient(create_app(settings, scheduler=True)) as client:
        scheduler = client.app.state.scheduler  # type: ignore[attr-defined]
        assert scheduler._scheduler.running
        assert {job.id for job in registered_jobs(settings)} == set(scheduler.jobs)
    assert not scheduler._scheduler.running
    with TestClient(create_app(settings)) as client:
        assert not hasattr(client.app.state, "scheduler")  # type: ignore[attr-defined]
