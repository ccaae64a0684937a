"""How often a draft rule would have fired over the last 24 months, and when (before saving).

The rule is replayed month by month with the same check and hysteresis as live evaluation, each
month judged on the data up to it, so the months it would have fired in are exactly the months
it will fire in on the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from execdash.alerts import offplan
from execdash.alerts.catalog import METRICS, Monthly, monthly_values
from execdash.alerts.rules import NotEvaluable, RuleSpec, check
from execdash.alerts.state import firing
from execdash.metrics.queries import latest_month
from execdash.metrics.windows import add_months, month_key

MONTHS = 24
HISTORY_MONTHS = 24


@dataclass(frozen=True, slots=True)
class MonthResult:
    """The rule on one month of the backtest."""

    period: str
    value: float | None
    firing: bool
    started: bool
    """An alert would have been raised this month (a new episode)."""
    expected: float | None = None
    lower: float | None = None
    upper: float | None = None
    plan: float | None = None
    """The active plan for the month (off-plan rules)."""


@dataclass(frozen=True, slots=True)
class Episode:
    """A run of months the rule would have been firing in."""

    start: str
    end: str
    months: int


@dataclass(slots=True)
class Backtest:
    """The replay: per month, and the episodes (each one alert)."""

    first: str | None
    last: str | None
    months: list[MonthResult] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    evaluable: int = 0
    """Months that had the data the rule needs."""

    @property
    def alerts(self) -> int:
        """How many alerts the rule would have raised."""
        return len(self.episodes)

    @property
    def firing_months(self) -> int:
        """Months it would have been firing in."""
        return sum(1 for m in self.months if m.firing)


def replay(
    spec: RuleSpec,
    monthly: Monthly,
    months: list[dt.date],
    unit: str,
    plan: offplan.Gaps | None = None,
) -> Backtest:
    """The rule replayed over `months` (oldest first) on `monthly` (pure); `plan`: each month
    against the active plan (off-plan rules)."""
    keys = [month_key(m) for m in months]
    out = Backtest(keys[0] if keys else None, keys[-1] if keys else None)
    was = False
    start: str | None = None
    length = 0
    for month in months:
        seen = check(spec, monthly, month, unit, plan)
        now = firing(seen, was, spec.hysteresis) if seen is not None else was
        key = month_key(month)
        b = seen.band if seen is not None else None
        planned = plan.get(month) if plan is not None else None
        out.months.append(
            MonthResult(
                key, monthly.get(month), now, now and not was,
                b.expected if b else None, b.lower if b else None, b.upper if b else None,
                planned.plan if planned else None,
            )
        )  # fmt: skip
        out.evaluable += seen is not None
        if now and not was:
            start, length = key, 0
        if now:
            length += 1
        if was and not now and start is not None:
            out.episodes.append(Episode(start, out.months[-2].period, length))
            start = None
        was = now
    if was and start is not None:
        out.episodes.append(Episode(start, out.months[-1].period, length))
    return out


def backtest(conn: sa.Connection, spec: RuleSpec, today: dt.date | None = None) -> Backtest:
    """Replay `spec` over the 24 months ending at the latest data month (NotEvaluable: an
    off-plan rule without an active plan)."""
    metric = METRICS[spec.metric]
    last = latest_month(conn) or (today or dt.date.today()).replace(day=1)
    first = add_months(last, 1 - MONTHS)
    monthly = monthly_values(conn, [metric.key], add_months(first, -HISTORY_MONTHS), last)
    months = [add_months(first, i) for i in range(MONTHS)]
    gaps = None
    if spec.kind == "off_plan":
        plan = offplan.active_plan(conn, [metric.key], first, last)
        if plan is None:
            raise NotEvaluable("an off-plan rule needs an active plan")
        actual = monthly[metric.key]
        gaps = offplan.gaps(metric.key, metric.unit, actual, plan.monthly.get(metric.key, {}))
    return replay(spec, monthly[metric.key], months, metric.unit, gaps)
