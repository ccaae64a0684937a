"""Evaluate rules on the latest month and keep one alert per rule episode up to date.

A rule that starts firing writes one seed `alerts` row (type = the metric's page, the title and
description with the numbers, the rule's severity); evaluating the same month again never adds a
second row (one episode per rule and month it began in: de-duplication). While it keeps firing
in later months (hysteresis included, `alerts.state`) the same row is rewritten with the newest
numbers; when the condition clears the row is closed by `execdash`, with the numbers that
cleared it. Off-plan rules compare with the active plan (`alerts.offplan`); a change of plan
re-evaluates them, and an episode closes when the plan no longer covers the latest month.
Runs inside the writer's transaction after every data change (`alerts.hook`) and on
demand (`execdash alerts evaluate`, the scheduler).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from execdash.alerts import describe, offplan, store
from execdash.alerts.catalog import METRICS, Metric, Monthly, monthly_values
from execdash.alerts.rules import Check, NotEvaluable, check, history_needed
from execdash.alerts.state import firing
from execdash.db import catchup, versions
from execdash.insights import wording
from execdash.metrics.materialise import configured_symbol
from execdash.metrics.queries import latest_month
from execdash.metrics.windows import add_months, month_key

LAG_MONTHS = 3
"""A metric whose data end up to this many months before the latest revenue month is still
evaluated on its own latest month."""

Action = Literal["fired", "updated", "resolved", "firing", "quiet", "no data"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one evaluation did with one rule."""

    rule_id: int
    action: Action
    period: str | None = None
    alert_id: int | None = None


def watched_by(rule_metrics: Iterable[str], changed: frozenset[str] | None) -> set[str]:
    """The metrics among `rule_metrics` that a change to `changed` (None: anything) can move."""
    return {m for m in rule_metrics if changed is None or METRICS[m].tables & changed}


def latest_value_month(monthly: Monthly, last: dt.date) -> dt.date | None:
    """The latest month at or before `last` that has a value."""
    held = [m for m in monthly if m <= last]
    return max(held) if held else None


def evaluate(
    conn: sa.Connection,
    changed: frozenset[str] | None = None,
    rule_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> list[Outcome]:
    """Evaluate the enabled rules a change to `changed` (None: anything) can concern."""
    rules = [
        r for r in store.rules(conn, enabled_only=True, ids=rule_ids) if r.spec.metric in METRICS
    ]
    metrics = watched_by({r.spec.metric for r in rules}, changed)
    plan_moved = changed is None or bool(changed & offplan.PLAN_TABLES)
    rules = [
        r for r in rules if r.spec.metric in metrics or (r.spec.kind == "off_plan" and plan_moved)
    ]
    if not rules:
        return []
    last = latest_month(conn) or (today or dt.date.today()).replace(day=1)
    first = add_months(last, -(max(history_needed(r.spec) for r in rules) + LAG_MONTHS))
    values = monthly_values(conn, {r.spec.metric for r in rules}, first, last)
    planned = [r.spec.metric for r in rules if r.spec.kind == "off_plan"]
    plan = offplan.active_plan(conn, planned, first, last) if planned else None
    open_now = store.open_firings(conn, [r.id for r in rules])
    symbol = configured_symbol()
    outcomes = []
    for r in rules:
        metric = METRICS[r.spec.metric]
        monthly = values.get(metric.key, {})
        month = latest_value_month(monthly, last)
        gaps = None
        if plan is not None and r.spec.kind == "off_plan" and offplan.plannable(metric.key):
            gaps = offplan.gaps(metric.key, metric.unit, monthly, plan.monthly.get(metric.key, {}))
        try:
            seen = check(r.spec, monthly, month, metric.unit, gaps) if month else None
        except NotEvaluable:
            seen = None
        episode = open_now.get(r.id)
        if seen is None:
            if r.spec.kind == "off_plan" and episode is not None:
                outcomes.append(_unplanned(conn, r, metric, episode, month))
                continue
            outcomes.append(Outcome(r.id, "no data"))
            continue
        label = plan.label if plan is not None else None
        outcomes.append(_apply(conn, r, metric, seen, episode, symbol, label))
    if any(o.action in ("fired", "updated", "resolved") for o in outcomes):
        versions.bump(conn, store.OWN_TABLES)
        catchup.forget_tables(conn, {"alerts"})  # written by this transaction: nothing to redo
    return outcomes


def _words(
    r: store.RuleRow, metric: Metric, seen: Check, symbol: str, plan_label: str | None
) -> tuple[str, str]:
    return (
        describe.title(metric, r.spec, seen, symbol),
        describe.description(metric, r.spec, seen, r.name, r.id, symbol, plan_label),
    )


def _unplanned(
    conn: sa.Connection,
    r: store.RuleRow,
    metric: Metric,
    episode: store.Firing,
    month: dt.date | None,
) -> Outcome:
    """Close an off-plan episode once no active plan covers the latest month of the metric."""
    when = f" for {wording.month(month_key(month))}" if month else ""
    store.append_to_alert(
        conn,
        episode.alert_id,
        f" Resolved: the active plan has no target for {metric.label.lower()}{when}.",
    )
    store.set_alert_state(conn, episode.alert_id, "closed", store.SYSTEM_USER)
    period = month_key(month) if month else episode.last_period
    store.update_firing(
        conn, episode.id, state="resolved", last_period=period, value=episode.value or 0.0
    )
    return Outcome(r.id, "resolved", period, episode.alert_id)


def _apply(
    conn: sa.Connection,
    r: store.RuleRow,
    metric: Metric,
    seen: Check,
    episode: store.Firing | None,
    symbol: str,
    plan_label: str | None = None,
) -> Outcome:
    period = month_key(seen.month)
    now_firing = firing(seen, episode is not None, r.spec.hysteresis)
    if episode is not None and not now_firing:
        store.append_to_alert(conn, episode.alert_id, describe.resolved(metric, seen, symbol))
        store.set_alert_state(conn, episode.alert_id, "closed", store.SYSTEM_USER)
        store.update_firing(
            conn, episode.id, state="resolved", last_period=period, value=seen.value
        )
        return Outcome(r.id, "resolved", period, episode.alert_id)
    if not now_firing:
        return Outcome(r.id, "quiet", period)
    title, text = _words(r, metric, seen, symbol, plan_label)
    if episode is not None:
        same = episode.last_period == period and episode.value == seen.value
        if same and r.spec.kind == "off_plan":  # the plan may have moved under the same actual
            same = store.alert_words(conn, episode.alert_id) == (title, text)
        if same:
            return Outcome(r.id, "firing", episode.period, episode.alert_id)
        store.rewrite_alert(conn, episode.alert_id, title, text, r.severity)
        store.update_firing(conn, episode.id, state="firing", last_period=period, value=seen.value)
        return Outcome(r.id, "updated", episode.period, episode.alert_id)
    earlier = store.firing_of_period(conn, r.id, period)
    if earlier is not None:  # fired, resolved and fires again in the same month: same alert
        store.rewrite_alert(conn, earlier.alert_id, title, text, r.severity)
        if store.alert_state(conn, earlier.alert_id) == "closed":
            store.set_alert_state(conn, earlier.alert_id, "open", store.SYSTEM_USER)
        store.update_firing(conn, earlier.id, state="firing", last_period=period, value=seen.value)
        return Outcome(r.id, "updated", period, earlier.alert_id)
    alert_id = store.raise_alert(conn, metric.domain, title, text, r.severity)
    store.add_firing(conn, r.id, alert_id, period, seen.value)
    return Outcome(r.id, "fired", period, alert_id)


def close_rule_alerts(conn: sa.Connection, rule_id: int, user: str, why: str) -> int:
    """Resolve the episode a rule is firing in (it was disabled or deleted); alerts closed."""
    episode = store.open_firings(conn, [rule_id]).get(rule_id)
    if episode is None:
        return 0
    store.append_to_alert(conn, episode.alert_id, f" Resolved: {why}.")
    store.set_alert_state(conn, episode.alert_id, "closed", user)
    store.update_firing(
        conn, episode.id, state="resolved", last_period=episode.last_period,
        value=episode.value or 0.0,
    )  # fmt: skip
    versions.bump(conn, store.OWN_TABLES)
    catchup.forget_tables(conn, {"alerts"})
    return 1
