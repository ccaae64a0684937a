"""A KPI's standing against the active plan, worded as its tile on the page words it.

The comparison itself is `plans.attach.with_plan`'s (the page's and the API's); this only
formats it: status (on track / at risk / off track), plan, variance and attainment, and the
landing of the plan period. The same words as `web/static/js/plan.js`.
"""

from __future__ import annotations

from dataclasses import dataclass

from execdash.delivery.formatting import (
    format_delta,
    format_period,
    format_points,
    format_value,
)
from execdash.metrics.models import Kpi

STATUS_WORDS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
STATUS_TONES = {"on_track": "good", "at_risk": "warn", "off_track": "bad"}


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One KPI against the plan, formatted."""

    status: str
    """On track, At risk, Off track, or '' when the plan period cannot be judged."""
    tone: str
    """good, warn, bad or neutral (the status badge's colour)."""
    attainment: str
    """`99.8% of plan`, or '' when actual and plan are not both positive."""
    figures: str
    """`Plan £9.7M · −0.2% vs plan`, or `No Budget target for this window`."""
    landing: str
    """`FY2026 lands at £9.66M vs £9.68M plan (−0.2%)`, or ''."""
    covers: str = ""
    """`plan covers Jan – Oct 2026` when the plan holds only part of the window, else ''."""


def _variance(kpi: Kpi) -> str:
    p = kpi.plan
    if p is None:
        return ""
    if p.variance_unit == "points":
        return format_points(p.variance, kpi.key)
    return format_delta(p.variance_pct)


def _landing(kpi: Kpi, symbol: str) -> str:
    p = kpi.plan
    period = p.period if p is not None else None
    if p is None or period is None or period.plan is None:
        return ""

    def fmt(value: float) -> str:
        return format_value(value, kpi.unit, kpi.key, symbol)

    if period.landing is None:
        return f"{period.key} plan {fmt(period.plan)}; nothing to forecast the landing from"
    gap = (
        format_points(period.gap, kpi.key)
        if p.variance_unit == "points"
        else format_delta(period.gap_pct)
    )
    verb = "forecast" if kpi.key == "forecast" else "lands at"
    return f"{period.key} {verb} {fmt(period.landing)} vs {fmt(period.plan)} plan ({gap})"


def plan_line(kpi: Kpi, symbol: str) -> PlanLine | None:
    """`kpi` against the active plan, or None when it carries no plan comparison."""
    p = kpi.plan
    if p is None:
        return None
    status = STATUS_WORDS.get(p.status or "", "")
    tone = STATUS_TONES.get(p.status or "", "neutral")
    if p.plan is None:
        return PlanLine(status, tone, "", f"No {p.plan_name} target for this window", "")
    attainment = "" if p.attainment is None else f"{format_value(p.attainment, 'ratio')} of plan"
    figures = f"Plan {format_value(p.plan, kpi.unit, kpi.key, symbol)} · {_variance(kpi)} vs plan"
    covers = ""
    if p.months < p.window_months and p.start_month and p.end_month:
        span = format_period(p.end_month)
        if p.start_month != p.end_month:
            span = f"{format_period(p.start_month)} – {span}"
        covers = f"plan covers {span}"
    return PlanLine(status, tone, attainment, figures, _landing(kpi, symbol), covers)
