"""A KPI against its plan: variance, attainment and the on track / at risk / off track status.

The status is judged on where the plan period (the fiscal year holding the window's end) is
forecast to land against that period's plan, in the KPI's good direction. Pure functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from execdash.metrics import tiles
from execdash.metrics.formulas import KPI_DEFS, Facts, Formula
from execdash.metrics.models import Kpi, Series, SeriesPoint
from execdash.metrics.planned import PlanComparison, PlanPeriod, PlanPoint, PlanStatus
from execdash.metrics.series import divide
from execdash.metrics.tiles import change_unit
from execdash.metrics.windows import Window, add_months, month_key
from execdash.plans.aggregate import Monthly, plan_value, planned_span
from execdash.plans.catalog import PLANNABLE, RATIO_WEIGHT
from execdash.plans.landing import landing

VarianceUnit = Literal["points", "relative"]
Good = Literal["up", "down"]

ON_TRACK_WITHIN: dict[VarianceUnit, float] = {"relative": 0.02, "points": 0.005}
"""A landing worse than plan by at most this is still on track (2%, or 0.5 pts for ratios)."""
AT_RISK_WITHIN: dict[VarianceUnit, float] = {"relative": 0.05, "points": 0.02}
"""Worse by more than on track but at most this is at risk (5%, or 2 pts); beyond: off track."""

FORMULAS: dict[str, Formula] = {d[0]: d[4] for d in KPI_DEFS}
MULTIPLES = frozenset({"book_to_bill"})
"""Ratios shown as a multiple (1.08×): their tolerance reads in ×, not in points."""


@dataclass(frozen=True, slots=True)
class PlanRef:
    """Which plan version the targets come from."""

    id: int
    name: str
    version: int


def shortfall(
    actual: float | None, plan: float | None, unit: VarianceUnit, good: Good
) -> float | None:
    """How far `actual` is worse than `plan` (relative, or in ratio units for points); negative
    when better; None when either is missing or a relative plan is zero."""
    if actual is None or plan is None:
        return None
    if unit == "points":
        gap = actual - plan
    else:
        if plan == 0:
            return None
        gap = (actual - plan) / abs(plan)
    return -gap if good == "up" else gap


def judge(short: float | None, unit: VarianceUnit) -> PlanStatus | None:
    """on_track / at_risk / off_track for a landing's shortfall against plan (None if unknown)."""
    if short is None:
        return None
    if short <= ON_TRACK_WITHIN[unit] + 1e-12:
        return "on_track"
    if short <= AT_RISK_WITHIN[unit] + 1e-12:
        return "at_risk"
    return "off_track"


def attainment(actual: float | None, plan: float | None, good: Good) -> float | None:
    """actual / plan (plan / actual when down is good); None unless both are positive."""
    if actual is None or plan is None or actual <= 0 or plan <= 0:
        return None
    return actual / plan if good == "up" else plan / actual


def _tolerance(key: str, unit: VarianceUnit, value: float) -> str:
    if unit == "relative":
        return f"{value * 100:g}%"
    if key in MULTIPLES:
        return f"{value:g}×"
    return f"{value * 100:g} pts"


def rule_text(key: str, unit: VarianceUnit, good: Good, period: str) -> str:
    """The status rule in words, with the KPI's thresholds and good direction."""
    worse = "below" if good == "up" else "above"
    better = "higher" if good == "up" else "lower"
    on = _tolerance(key, unit, ON_TRACK_WITHIN[unit])
    risk = _tolerance(key, unit, AT_RISK_WITHIN[unit])
    return (
        f"Judged on where {period} is forecast to land against its plan ({better} is better): "
        f"on track when at most {on} {worse} plan, at risk when at most {risk} {worse}, "
        "off track beyond."
    )


def fiscal_year(month: dt.date, start: int) -> tuple[str, tuple[dt.date, ...]]:
    """`FY2026` (named by the calendar year it ends in) and its twelve months, for `month`."""
    first = dt.date(month.year if month.month >= start else month.year - 1, start, 1)
    months = tuple(add_months(first, i) for i in range(12))
    return f"FY{months[-1].year}", months


def _variance(actual: float | None, plan: float | None) -> tuple[float | None, float | None]:
    if actual is None or plan is None:
        return None, None
    return actual - plan, divide(actual - plan, abs(plan))


def compare_kpi(
    kpi: Kpi,
    window: Window,
    facts: Facts,
    targets: Mapping[str, Monthly],
    ref: PlanRef,
    fiscal_start: int = 1,
) -> PlanComparison:
    """KPI `kpi` on `window` against the plan's company `targets` (by KPI and month)."""
    if kpi.key == "forecast":
        return _compare_forecast(kpi, window, targets.get("revenue", {}), ref)
    spec = PLANNABLE[kpi.key]
    unit: VarianceUnit = change_unit(kpi.key, spec.unit)
    monthly = targets.get(kpi.key, {})
    weights = targets.get(RATIO_WEIGHT)
    span = planned_span(monthly, window.months)
    plan = actual = None
    if span:
        plan = plan_value(spec.kind, monthly, span, weights)
        actual = FORMULAS[kpi.key](
            Window(window.range_key, "month", span[0], span[-1]), facts
        ).value
    variance, variance_pct = _variance(actual, plan)
    short = shortfall(actual, plan, unit, spec.good)
    label, year = fiscal_year(window.end_month, fiscal_start)
    planned = tuple(m for m in year if m in monthly)
    period = None
    status = None
    if planned:
        land = landing(kpi.key, facts, window.end_month, planned)
        period_plan = plan_value(spec.kind, monthly, planned, weights)
        gap, gap_pct = _variance(land.value, period_plan)
        period = PlanPeriod(
            key=label,
            start_month=month_key(planned[0]),
            end_month=month_key(planned[-1]),
            months=len(planned),
            plan=period_plan,
            landing=land.value,
            actual_months=land.actual_months,
            forecast_months=land.forecast_months,
            method=land.method,
            gap=gap,
            gap_pct=gap_pct,
        )
        status = judge(shortfall(land.value, period_plan, unit, spec.good), unit)
    return PlanComparison(
        plan_id=ref.id,
        plan_name=ref.name,
        plan_version=ref.version,
        start_month=month_key(span[0]) if span else None,
        end_month=month_key(span[-1]) if span else None,
        months=len(span),
        window_months=window.length,
        plan=plan,
        actual=actual,
        variance=variance,
        variance_pct=variance_pct,
        variance_unit=unit,
        attainment=attainment(actual, plan, spec.good),
        favourable=None if short is None else short <= 0,
        period=period,
        status=status,
        rule=rule_text(kpi.key, unit, spec.good, label),
    )


def _compare_forecast(kpi: Kpi, window: Window, revenue: Monthly, ref: PlanRef) -> PlanComparison:
    """The forecast against the revenue target of the month it forecasts."""
    month = add_months(window.end_month, 1)
    plan = revenue.get(month)
    actual = kpi.value
    variance, variance_pct = _variance(actual, plan)
    short = shortfall(actual, plan, "relative", "up")
    key = f"{month:%b %Y}"
    period = None
    if plan is not None:
        period = PlanPeriod(
            key=key,
            start_month=month_key(month),
            end_month=month_key(month),
            months=1,
            plan=plan,
            landing=actual,
            actual_months=0,
            forecast_months=1,
            method="forecast" if actual is not None else "none",
            gap=variance,
            gap_pct=variance_pct,
        )
    return PlanComparison(
        plan_id=ref.id,
        plan_name=ref.name,
        plan_version=ref.version,
        start_month=month_key(month) if plan is not None else None,
        end_month=month_key(month) if plan is not None else None,
        months=1 if plan is not None else 0,
        window_months=1,
        plan=plan,
        actual=actual,
        variance=variance,
        variance_pct=variance_pct,
        variance_unit="relative",
        attainment=attainment(actual, plan, "up"),
        favourable=None if short is None else short <= 0,
        period=period,
        status=judge(short, "relative"),
        rule=rule_text("revenue", "relative", "up", key),
    )


def plan_series(window: Window, key: str, targets: Mapping[str, Monthly], ref: PlanRef) -> Series:
    """The plan of KPI `key` per period of the window (the forecast: the revenue plan)."""
    target_key = "revenue" if key == "forecast" else key
    spec = PLANNABLE[target_key]
    monthly = targets.get(target_key, {})
    weights = targets.get(RATIO_WEIGHT)
    points = [
        SeriesPoint(
            period=p.key,
            value=plan_value(spec.kind, monthly, p.months, weights),
            partial=p.partial,
            months=p.months_held,
        )
        for p in window.periods
    ]
    span = planned_span(monthly, window.months)
    return Series(
        key=f"plan_{key}",
        label=f"Plan ({ref.name} v{ref.version})",
        unit=spec.unit,
        kind=spec.kind,
        points=points,
        total=plan_value(spec.kind, monthly, span, weights) if span else None,
    )


def off_plan(actual: Series, plan: Series, key: str, good: Good) -> list[PlanPoint]:
    """The periods having both a plan and an actual, furthest off plan first (either way)."""
    unit: VarianceUnit = change_unit(key, actual.unit)
    rows: list[PlanPoint] = []
    for a, p in zip(actual.points, plan.points, strict=True):
        if a.value is None or p.value is None:
            continue
        variance, variance_pct = _variance(a.value, p.value)
        short = shortfall(a.value, p.value, unit, good)
        rows.append(
            PlanPoint(
                period=a.period,
                plan=p.value,
                actual=a.value,
                variance=variance,
                variance_pct=variance_pct,
                favourable=None if short is None else short <= 0,
                shortfall=short,
            )
        )
    return sorted(rows, key=lambda r: -abs(r.shortfall) if r.shortfall is not None else 0.0)


def needed_windows(
    window: Window, targets: Mapping[str, Monthly], fiscal_start: int = 1
) -> list[Window]:
    """The windows whose new MRR payback needs: the window's planned months and the plan
    period to date."""
    monthly = targets.get("payback", {})
    out: list[Window] = []
    span = planned_span(monthly, window.months)
    if span:
        out.append(Window(window.range_key, "month", span[0], span[-1]))
    _, year = fiscal_year(window.end_month, fiscal_start)
    planned: Sequence[dt.date] = [m for m in year if m in monthly]
    if planned and planned[0] <= window.end_month:
        out.append(Window("12m", "month", planned[0], min(window.end_month, planned[-1])))
    return out


def against_plan(kpi: Kpi) -> Kpi:
    """`kpi` with its change measured against its plan instead of an earlier window: previous =
    the plan for the window; the change is withheld (not comparable) unless the plan covers every
    month of the window, the same rule as for a previous window with missing months."""
    p = kpi.plan
    if p is None:
        return kpi
    comparable = p.plan is not None and p.months == p.window_months
    relative = tiles.delta(kpi.value, p.plan)
    moved = tiles.direction(relative)
    coverage = kpi.coverage
    if coverage is not None:
        coverage = coverage.model_copy(
            update={
                "previous": p.months,
                "previous_complete": comparable,
                "previous_start_month": p.start_month or coverage.previous_start_month,
                "previous_end_month": p.end_month or coverage.previous_end_month,
            }
        )
    return kpi.model_copy(
        update={
            "previous": p.plan,
            "change": kpi.value - p.plan if kpi.value is not None and p.plan is not None else None,
            "delta": relative,
            "direction": moved,
            "favourable": tiles.favourable(moved, kpi.good_direction) if comparable else None,
            "comparable": comparable and (coverage is None or coverage.complete),
            "coverage": coverage,
        }
    )
