"""The words of an alert: a title and a description that carry the actual numbers."""

from __future__ import annotations

from execdash.alerts.catalog import Metric
from execdash.alerts.rules import Check, RuleSpec
from execdash.alerts.state import clear_line
from execdash.insights import wording
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
    return f"{metric.label} in {month}"


def description(
    metric: Metric, rule: RuleSpec, check: Check, rule_name: str, rule_id: int, symbol: str
) -> str:
    """What the numbers were, what the rule says, and when it will resolve."""
    month = wording.month(month_key(check.month))
    now = amount(metric, check.value, symbol)
    named = f"rule “{rule_name}” (#{rule_id})"
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


def resolved(metric: Metric, check: Check, symbol: str) -> str:
    """The sentence added when the condition clears."""
    month = wording.month(month_key(check.month))
    now = amount(metric, check.value, symbol)
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
        return f"Fires when {name} is off plan by more than {wording.percent(rule.value or 0)}."
    return f"Watches {name}."
