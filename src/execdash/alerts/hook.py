"""Evaluate alert rules after every data change: the hook handed down to `db.changes`."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import sqlalchemy as sa

from execdash.alerts.catalog import METRICS
from execdash.alerts.evaluate import evaluate
from execdash.alerts.offplan import PLAN_TABLES
from execdash.db.changes import add_change_hook

log = logging.getLogger("execdash.alerts")
METRIC_TABLES = frozenset().union(*(m.tables for m in METRICS.values())) | PLAN_TABLES
"""A change to none of these tables can move no metric nor plan: nothing to evaluate, nothing
read."""


def after_change(conn: sa.Connection, changed: frozenset[str] | None) -> None:
    """Evaluate the rules `changed` can concern, in the writer's transaction (`install` runs it
    only for changes to `METRIC_TABLES`)."""
    started = time.perf_counter()
    outcomes = evaluate(conn, changed)
    if outcomes:
        log.debug(
            "Evaluated %d alert rules in %.1f ms", len(outcomes),
            (time.perf_counter() - started) * 1000,
        )  # fmt: skip


def evaluate_safely(conn: sa.Connection, rule_ids: Iterable[int]) -> None:
    """Evaluate `rule_ids` now in a savepoint: a failure is logged and undone, never raised."""
    try:
        with conn.begin_nested():
            evaluate(conn, rule_ids=rule_ids)
    except Exception:
        log.exception("Evaluating alert rules %s failed", sorted(rule_ids))


def install() -> None:
    """Evaluate rules after every data change made by this process to a table a rule can read."""
    add_change_hook(after_change, METRIC_TABLES)
