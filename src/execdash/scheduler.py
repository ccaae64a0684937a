"""The background scheduler of `execdash serve`: periodic jobs in threads, off the event loop.

It is APScheduler's `BackgroundScheduler` (pinned in pyproject.toml): each job runs in a worker
thread with its own database engine, at most one run of a job at a time per process, missed runs
coalesced into one. `execdash serve --workers N` runs one scheduler per worker process, so every
job must be safe to run in several processes at once: claim work in the database (a row with a
unique key, or an `UPDATE … WHERE state = 'pending'` whose row count says who won) before
doing it, as `execdash.delivery` does.

How to register a job (for example the alert rules' periodic evaluation):

1. In your package write ``def jobs(settings: Settings) -> list[Job]`` returning, e.g.,
   ``[Job("alerts.evaluate", evaluate, IntervalTrigger(minutes=5))]`` where ``evaluate`` takes
   the job's `Engine` and does one bounded run (open a connection, do the work, commit).
2. Add ``"execdash.yourpackage.module:jobs"`` to `JOB_SOURCES` below.

Nothing else: the server starts every registered job with the app (`create_app(...,
scheduler=True)`) and stops them when it shuts down; a job that raises is logged and runs again
at its next time. Tests call a job's `run` directly, or `Scheduler.run_now(job_id)`.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from execdash.config import Settings, SettingsError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

log = logging.getLogger("execdash.scheduler")

JOB_SOURCES: tuple[str, ...] = ("execdash.delivery.jobs:jobs", "execdash.alerts.jobs:jobs")
"""`module:function` of every job provider; each returns the `Job`s of one package."""

ENABLE_VARIABLE = "EXECDASH_SCHEDULER"
"""`execdash serve` sets it for its worker processes; `--no-scheduler` turns the jobs off."""


@dataclass(frozen=True, slots=True)
class Job:
    """One periodic job: a stable id, what to run with the job engine, and when (a trigger)."""

    id: str
    run: Callable[[Engine], None]
    trigger: Any
    """An APScheduler trigger, e.g. `IntervalTrigger(seconds=30)` or `CronTrigger(minute=0)`."""


def enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether the process should run the scheduler (`EXECDASH_SCHEDULER`, default off)."""
    raw = (os.environ if env is None else env).get(ENABLE_VARIABLE, "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise SettingsError(f"{ENABLE_VARIABLE}={raw!r} is not a boolean (use true/false)")


def registered_jobs(settings: Settings, sources: tuple[str, ...] = JOB_SOURCES) -> list[Job]:
    """Every job of every provider in `sources`."""
    found: list[Job] = []
    for source in sources:
        module_name, _, function = source.partition(":")
        provider = getattr(importlib.import_module(module_name), function)
        found.extend(provider(settings))
    return found


class Scheduler:
    """The jobs of one process, run by APScheduler in threads with their own engine."""

    def __init__(self, settings: Settings, jobs: list[Job] | None = None) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        from execdash.db.engine import create_engine

        self.engine = create_engine(settings.database_url, pool_size=2, max_overflow=2)
        self.jobs = {job.id: job for job in (registered_jobs(settings) if jobs is None else jobs)}
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
            timezone="UTC",
        )
        for job in self.jobs.values():
            self._scheduler.add_job(self._runner(job), job.trigger, id=job.id, name=job.id)

    def _runner(self, job: Job) -> Callable[[], None]:
        def run() -> None:
            try:
                job.run(self.engine)
            except Exception as exc:  # logged and retried at the next run, never fatal
                log.warning("scheduled job %s failed: %s", job.id, exc, exc_info=True)

        return run

    def run_now(self, job_id: str) -> None:
        """Run one job in the calling thread (tests, `execdash` commands)."""
        self._runner(self.jobs[job_id])()

    def start(self) -> None:
        """Start running the jobs at their times, in background threads."""
        self._scheduler.start()
        log.info("scheduler started: %s", ", ".join(sorted(self.jobs)) or "no jobs")

    def shutdown(self) -> None:
        """Stop the jobs, waiting for runs in progress, and close the engine."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        self.engine.dispose()
