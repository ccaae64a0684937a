"""Off-plan rules: the active plan beside a KPI's months, with the gap the drill-down shows.

The plan of each month is `plans.compare.plan_series` of the active plan (`plans.attach`) on a
month-grain window, and each month's gap is `plans.compare.off_plan`'s (the drill-down's "months
furthest off plan"), so an alert's actual, plan and gap are the numbers the page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from execdash.alerts.catalog import Monthly, history_window
from execdash.db.tables import plan_targets, plans
from execdash.metrics.models import Series, SeriesPoint, Unit
from execdash.metrics.planned import PlanPoint
from execdash.metrics.windows import month_key, parse_month
from execdash.plans.attach import active_targets
from execdash.plans.catalog import PLANNABLE
from execdash.plans.compare import off_plan, plan_series

PLAN_TABLES = frozenset({plans.name, plan_targets.name})
"""A change to these can start or clear an off-plan alert (a new active plan, an edited target)."""

Gaps = dict[dt.date, PlanPoint]


@dataclass(frozen=True, slots=True)
class ActivePlan:
    """The active plan's name and version, and its plan per KPI and month."""

    name: str
    version: int
    monthly: dict[str, Monthly] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """`Budget FY2026 v2`, as the chart's plan line is named."""
        return f"{self.name} v{self.version}"


def plannable(key: str) -> bool:
    """True when plans can hold targets for the metric `key`."""
    return key in PLANNABLE


def active_plan(
    conn: sa.Connection, keys: Iterable[str], first: dt.date, last: dt.date
) -> ActivePlan | None:
    """The active plan of each plannable KPI in `keys`, month by month over `[first, last]`."""
    found = active_targets(conn)
    if found is None:
        return None
    ref, targets = found
    window = history_window(first, last)
    monthly: dict[str, Monthly] = {}
    for key in dict.fromkeys(keys):
        if plannable(key):
            points = plan_series(window, key, targets, ref).points
            monthly[key] = {parse_month(p.period): p.value for p in points if p.value is not None}
    return ActivePlan(ref.name, ref.version, monthly)


def _series(key: str, unit: Unit, values: Monthly, months: list[dt.date]) -> Series:
    points = [SeriesPoint(period=month_key(m), value=values[m], partial=False, months=1)
              for m in months]  # fmt: skip
    return Series(key=key, label=key, unit=unit, kind=PLANNABLE[key].kind, points=points,
                  total=None)  # fmt: skip


def gaps(key: str, unit: Unit, actual: Monthly, plan: Monthly) -> Gaps:
    """Each month with both an actual and a plan: actual, plan and variance as the drill-down
    computes them (`compare.off_plan`, pure)."""
    months = sorted(set(actual) & set(plan))
    if not months:
        return {}
    rows = off_plan(
        _series(key, unit, actual, months),
        _series(key, unit, plan, months),
        key,
        PLANNABLE[key].good,
    )
    return {parse_month(r.period): r for r in rows}
