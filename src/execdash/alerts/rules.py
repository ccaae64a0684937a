"""What one rule says about one month: the signal it compares, the line, and which side fires.

Every kind reduces to a signal and a line: threshold → the metric's value against the rule's
value; change → the relative change against the comparison month (previous month or the same
month a year earlier) against ± the rule's fraction; anomaly → how many robust standard
deviations the value lies from its expected value (`alerts.anomaly`) against the sensitivity;
off plan → the month's gap to the active plan (relative, or in points for ratios: the
drill-down's variance, `alerts.offplan`) against ± the rule's tolerance.
Pure functions; the state machine that adds hysteresis is `alerts.state`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from execdash.alerts.anomaly import DEFAULT_SENSITIVITY, Band, band
from execdash.metrics.planned import PlanPoint
from execdash.metrics.tiles import change_unit
from execdash.metrics.windows import add_months

Kind = Literal["threshold", "change", "off_plan", "anomaly"]
Direction = Literal["above", "below", "either"]
Compare = Literal["previous", "year_ago"]
DEFAULT_HYSTERESIS = 0.05


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """The parts of a rule that decide whether it fires (no name, no owner)."""

    metric: str
    kind: Kind
    direction: Direction
    value: float | None = None
    compare: Compare | None = None
    min_volume: float | None = None
    sensitivity: float | None = None
    hysteresis: float = DEFAULT_HYSTERESIS


@dataclass(frozen=True, slots=True)
class Check:
    """One rule on one month: the metric's value, the signal, the line and how it compares."""

    month: dt.date
    value: float
    signal: float
    line: float
    above: bool
    """True: the rule fires when the signal is above the line; False: below it."""
    reference: float | None = None
    """The comparison month's value (change rules)."""
    reference_month: dt.date | None = None
    band: Band | None = None
    small: bool = False
    """Both months are under the rule's minimum volume: too small to fire."""
    planned: PlanPoint | None = None
    """The month against the active plan (off-plan rules): actual, plan and variance."""

    @property
    def beyond(self) -> bool:
        """The signal is past the line (the rule would fire, hysteresis aside)."""
        return self.signal > self.line if self.above else self.signal < self.line


class NotEvaluable(ValueError):
    """A rule that cannot be evaluated: off plan without an active plan."""


def _oriented(direction: Direction, signal: float, line: float) -> tuple[float, float, bool]:
    """Signal, line and side for a direction: `either` compares the size of the signal."""
    if direction == "above":
        return signal, line, True
    if direction == "below":
        return signal, -line if line > 0 else line, False
    return abs(signal), abs(line), True


def comparison_month(month: dt.date, compare: Compare | None) -> dt.date:
    """The month a change is measured against."""
    return add_months(month, -12 if compare == "year_ago" else -1)


def history_needed(rule: RuleSpec) -> int:
    """Months before the evaluated one the rule reads."""
    if rule.kind == "anomaly":
        return 24
    if rule.kind == "change":
        return 12 if rule.compare == "year_ago" else 1
    return 0


def plan_gap(point: PlanPoint, key: str, unit: str) -> float | None:
    """The month's gap to plan as an off-plan rule reads it: relative (−0.06 = 6% below plan),
    or the difference for ratios (−0.004 = 0.4 pts below), as the drill-down shows it."""
    if change_unit(key, unit) == "points":  # type: ignore[arg-type]
        return point.variance
    return point.variance_pct


def check(
    rule: RuleSpec,
    monthly: Mapping[dt.date, float],
    month: dt.date,
    unit: str,
    plan: Mapping[dt.date, PlanPoint] | None = None,
) -> Check | None:
    """The rule on `month`, or None when the month (or what it is compared with) has no value;
    `plan` is the month-by-month comparison with the active plan (off-plan rules)."""
    if rule.kind == "off_plan":
        if plan is None:
            raise NotEvaluable("an off-plan rule needs an active plan")
        point = plan.get(month)
        gap = plan_gap(point, rule.metric, unit) if point is not None else None
        if point is None or gap is None or point.actual is None:
            return None
        signal, line, above = _oriented(rule.direction, gap, float(rule.value or 0.0))
        return Check(month, point.actual, signal, line, above, point.plan, month, planned=point)
    value = monthly.get(month)
    if value is None:
        return None
    if rule.kind == "threshold":
        line = float(rule.value or 0.0)
        return Check(month, value, value, line, rule.direction != "below")
    if rule.kind == "change":
        ref_month = comparison_month(month, rule.compare)
        ref = monthly.get(ref_month)
        if ref is None or ref == 0:
            return None
        change = (value - ref) / abs(ref)
        signal, line, above = _oriented(rule.direction, change, float(rule.value or 0.0))
        small = max(abs(value), abs(ref)) < (rule.min_volume or 0.0)
        return Check(month, value, signal, line, above, ref, ref_month, small=small)
    if rule.kind == "anomaly":
        k = rule.sensitivity or DEFAULT_SENSITIVITY
        expected = band(monthly, month, unit, k)
        if expected is None:
            return None
        signal, line, above = _oriented(rule.direction, expected.score(value), k)
        return Check(month, value, signal, line, above, band=expected)
    raise NotEvaluable(rule.kind)
