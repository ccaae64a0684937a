"""The periodic evaluation the scheduler of `execdash serve` runs (see `execdash.scheduler`)."""

from __future__ import annotations

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from execdash.alerts.evaluate import evaluate
from execdash.config import Settings
from execdash.db.changes import lock_derived_tables
from execdash.db.engine import begin_write
from execdash.scheduler import Job

EVALUATE_MINUTES = 5


def evaluate_all(engine: Engine) -> None:
    """Evaluate every enabled rule once, in one write transaction.

    Every evaluator takes the derived-tables lock first (the data-change hook runs under it), so
    two server processes never evaluate at once; the unique (rule, month) key of the firings is
    the last guard against a duplicate alert.
    """
    with begin_write(engine) as conn:
        lock_derived_tables(conn)
        evaluate(conn)


def jobs(settings: Settings) -> list[Job]:
    """The alert rules' job: evaluate every rule every five minutes."""
    del settings
    return [Job("alerts.evaluate", evaluate_all, IntervalTrigger(minutes=EVALUATE_MINUTES))]
