"""The words of an alert: a title and a description that carry the actual numbers."""

from __future__ import annotations

from execdash.alerts.catalog import Metric
from execdash.alerts.rules import Check, RuleSpec
from execdash.alerts.state import clear_line
from execdash.insights import wording
from execdash.metrics.planned import PlanPoint
from execdash.metrics.tiles import change_unit
from execdash.metrics.windows import month_key


def amount(metric: Metric, value: float, symbol: str) -> str:
    """A value of the metric the way its tile shows it (NPS as −100…100)."""
    if metric.unit == "score" and metric.key == "nps":
        return f"{value * 100:.0f}"
    return wording.value(value, metric.unit, metric.key, symbol)


def step(metric: Metric, change: float, symbol: str) -> str:
    """A signed change in the metric's unit (+0.3 pts, −£1.2K, +14 for NPS)."""
    if metric.key == "nps":
        return f"{'+' if change >= 0 else wording.MINUS}{abs(change) * 100:.0f}"
    return wording.signed(change, metric.unit, metric.key, symbol)


def _percent(fraction: float) -> str:
    return wording.percent(fraction, signed=True)


def plan_tolerance(metric: Metric, value: float) -> str:
    """An off-plan rule's tolerance in the unit its gap is read in: 5.0%, 0.5 pts, 0.10×."""
    if change_unit(metric.key, metric.unit) == "points":
        return wording.change(value, metric.unit, metric.key)
    return wording.percent(abs(value))


def _plan_side(direction: str) -> str:
    return {"above": "above", "below": "below"}.get(direction, "above or below")


def title(metric: Metric, rule: RuleSpec, check: Check, symbol: str) -> str:
    """One line: what happened, in which month."""
    month = wording.month(month_key(check.month))
    if rule.kind == "threshold":
        side = "above" if check.above else "below"
        return f"{metric.label} {side} {amount(metric, check.line, symbol)} in {month}"
    if rule.kind == "change" and check.reference is not None:
        change = (check.value - check.reference) / abs(check.reference)
        moved = "up" if change > 0 else "down"
        basis = "the month before" if rule.compare != "year_ago" else "a year earlier"
        return f"{metric.label} {moved} {wording.percent(abs(change))} on {basis} in {month}"
    if check.band is not None:
        side = "high" if check.value > check.band.expected else "low"
        return f"{metric.label} unusually {side} in {month}"
    if check.planned is not None and check.reference is not None:
        side = "above" if check.value > check.reference else "below"
        gap = plan_tolerance(metric, _plan_gap(metric, check))
        return f"{metric.label} {gap} {side} plan in {month}"
    return f"{metric.label} in {month}"


def _plan_gap(metric: Metric, check: Check) -> float:
    p = check.planned
    if p is None:
        return 0.0
    if change_unit(metric.key, metric.unit) == "points":
        return p.variance or 0.0
    return p.variance_pct or 0.0


def description(
    metric: Metric,
    rule: RuleSpec,
    check: Check,
    rule_name: str,
    rule_id: int,
    symbol: str,
    plan_label: str | None = None,
) -> str:
    """What the numbers were, what the rule says, and when it will resolve."""
    month = wording.month(month_key(check.month))
    now = amount(metric, check.value, symbol)
    named = f"rule “{rule_name}” (#{rule_id})"
    if check.planned is not None and check.reference is not None:
        return _off_plan_description(
            metric, rule, check, check.planned, check.reference, named, symbol, plan_label
        )
    if rule.kind == "threshold":
        side = "above" if check.above else "below"
        back = amount(metric, clear_line(check, rule.hysteresis), symbol)
        until = "or less" if check.above else "or more"
        return (
            f"{metric.label} was {now} in {month}, {side} the line of "
            f"{amount(metric, check.line, symbol)} set by {named}. It resolves when "
            f"{metric.label.lower()} is back to {back} {until}."
        )
    if rule.kind == "change" and check.reference is not None and check.reference_month:
        ref = amount(metric, check.reference, symbol)
        ref_month = wording.month(month_key(check.reference_month))
        change = (check.value - check.reference) / abs(check.reference)
        limit = wording.percent(abs(check.line))
        back = wording.percent(abs(clear_line(check, rule.hysteresis)))
        volume = (
            f" Changes count only when either month is at least "
            f"{amount(metric, rule.min_volume, symbol)}."
            if rule.min_volume
            else ""
        )
        return (
            f"{metric.label} was {now} in {month} against {ref} in {ref_month}: "
            f"{_percent(change)}, beyond the {limit} allowed by {named}.{volume} It resolves "
            f"when the change is within {back}."
        )
    if check.band is not None:
        b = check.band
        base_month = wording.month(month_key(b.month.replace(year=b.month.year - 1)))
        if b.method == "ratio":
            how = (
                f"{amount(metric, b.base, symbol)} in {base_month} × the typical year-over-year "
                f"change of the 12 months before ({_percent(b.typical - 1)})"
            )
        else:
            how = (
                f"{amount(metric, b.base, symbol)} in {base_month} + the typical year-over-year "
                f"change of the 12 months before ({step(metric, b.typical, symbol)})"
            )
        side = "above" if check.value > b.expected else "below"
        distance = abs(b.score(check.value))
        return (
            f"{metric.label} was {now} in {month}; expected {amount(metric, b.expected, symbol)} "
            f"({how}), normal range {amount(metric, b.lower, symbol)} – "
            f"{amount(metric, b.upper, symbol)} at sensitivity {b.sensitivity:g}. It is "
            f"{distance:.1f} robust standard deviations {side} expected ({named})."
        )
    return f"{metric.label} was {now} in {month} ({named})."


def _off_plan_description(
    metric: Metric,
    rule: RuleSpec,
    check: Check,
    p: PlanPoint,
    reference: float,
    named: str,
    symbol: str,
    plan_label: str | None,
) -> str:
    """Actual, plan and gap (in the unit and the percent the drill-down shows), and the line."""
    month = wording.month(month_key(check.month))
    plan = amount(metric, reference, symbol)
    of = f" ({plan_label})" if plan_label else ""
    gap = step(metric, p.variance or 0.0, symbol)
    if change_unit(metric.key, metric.unit) == "relative" and p.variance_pct is not None:
        gap += f" ({_percent(p.variance_pct)})"
    side = _plan_side(rule.direction)
    back = plan_tolerance(metric, clear_line(check, rule.hysteresis))
    return (
        f"{metric.label} was {amount(metric, check.value, symbol)} in {month} against a plan of "
        f"{plan}{of}: {gap}, more than the {plan_tolerance(metric, rule.value or 0.0)} {side} "
        f"plan allowed by {named}. It resolves when {metric.label.lower()} is within {back} of "
        "plan."
    )


def resolved(metric: Metric, check: Check, symbol: str) -> str:
    """The sentence added when the condition clears."""
    month = wording.month(month_key(check.month))
    now = amount(metric, check.value, symbol)
    if check.planned is not None and check.reference is not None:
        plan = amount(metric, check.reference, symbol)
        return f" Resolved: {metric.label.lower()} was {now} in {month} against a plan of {plan}."
    return f" Resolved: {metric.label.lower()} was {now} in {month}."


def rule_sentence(metric: Metric, rule: RuleSpec, symbol: str) -> str:
    """What the rule watches for, in one sentence."""
    name = metric.label
    if rule.kind == "threshold" and rule.value is not None:
        side = "above" if rule.direction == "above" else "below"
        return f"Fires when {name} is {side} {amount(metric, rule.value, symbol)} in a month."
    if rule.kind == "change" and rule.value is not None:
        moves = {"above": "rises", "below": "falls", "either": "moves"}[rule.direction]
        basis = "the month before"
        if rule.compare == "year_ago":
            basis = "the same month a year earlier"
        volume = (
            f", when either month is at least {amount(metric, rule.min_volume, symbol)}"
            if rule.min_volume
            else ""
        )
        return (
            f"Fires when {name} {moves} by more than {wording.percent(rule.value)} against "
            f"{basis}{volume}."
        )
    if rule.kind == "anomaly":
        side = {"above": "above", "below": "below", "either": "outside"}[rule.direction]
        return (
            f"Fires when {name} is {side} its expected band (sensitivity "
            f"{(rule.sensitivity or 3):g}: that many robust standard deviations)."
        )
    if rule.kind == "off_plan":
        side = _plan_side(rule.direction)
        return (
            f"Fires when {name} is more than {plan_tolerance(metric, rule.value or 0.0)} {side} "
            "plan in a month."
        )
    return f"Watches {name}."
