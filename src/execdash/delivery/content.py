"""What a digest holds, computed by the same functions as the page and the API.

KPIs come from `metrics.executive.kpis`, the written summary from the summary endpoint's
`gather` + `insights.summary.summarise`, alerts and risks from the alerts and risks endpoints'
queries, the chart series from `metrics.finance.revenue_trend` and `metrics.drilldown`, each KPI
against the active plan from `plans.attach.with_plan` (as the dashboard's tiles); values are
formatted by `delivery.formatting`, the page's own rules. Nothing here computes a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from execdash.delivery import roles
from execdash.delivery.formatting import (
    format_change,
    format_date,
    format_period,
    format_value,
)
from execdash.delivery.periods import Period
from execdash.delivery.planstatus import PlanLine, plan_line
from execdash.metrics.models import Kpi, Series
from execdash.metrics.windows import Window

NEW_ALERTS_LIMIT = 20
OPEN_ALERTS_LIMIT = 10
RISKS_LIMIT = 8


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One line of the KPI table, formatted as the tile shows it."""

    key: str
    label: str
    value: str
    change: str
    arrow: str
    tone: str
    """good, bad or neutral: whether the change is good news (the tile's colour)."""
    previous: str
    kpi: Kpi
    plan: PlanLine | None = None
    """Its standing against the active plan (None without one, or for an unplanned KPI)."""


@dataclass(frozen=True, slots=True)
class AlertLine:
    """An alert as the digest lists it."""

    id: int
    type: str
    title: str
    description: str
    severity: str
    raised: str
    status: str


@dataclass(frozen=True, slots=True)
class RiskLine:
    """A risk as the digest lists it."""

    id: int
    title: str
    owner: str
    due: str
    overdue: bool
    mitigation: str


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything one recipient's digest shows, formatted, plus the series its charts draw."""

    recipient: str
    role: str
    frequency: str
    period: Period
    window_label: str
    compared_with: str
    currency_symbol: str
    kpis: list[KpiRow]
    headline: str
    statements: list[tuple[str, str]]
    """(tone, sentence) of the written summary, the role's topics first."""
    actions: list[str]
    new_alerts: list[AlertLine]
    open_alerts: list[AlertLine]
    open_alerts_total: int
    risks: list[RiskLine]
    revenue_trend: list[Series]
    focus: Series | None
    links: dict[str, str] = field(default_factory=dict)
    plan_name: str | None = None
    """`Budget FY2026 v2`: the active plan the KPIs are judged against, if any."""


def kpi_row(kpi: Kpi, symbol: str) -> KpiRow:
    """A KPI as the overview's tile shows it: value, arrow + change, tone, what it compares with."""
    value = format_value(kpi.value, kpi.unit, kpi.key, symbol)
    plan = plan_line(kpi, symbol)
    previous = (
        ""
        if kpi.previous is None
        else f"vs {format_value(kpi.previous, kpi.unit, kpi.key, symbol)}"
    )
    if kpi.change is None:
        return KpiRow(
            kpi.key, kpi.label, value, "— no previous", "", "neutral", previous, kpi, plan
        )
    if not kpi.comparable:
        return KpiRow(
            kpi.key, kpi.label, value, "change withheld", "", "neutral", previous, kpi, plan
        )
    arrow = {"up": "▲", "down": "▼"}.get(kpi.direction, "▶")
    tone = {True: "good", False: "bad"}.get(kpi.favourable, "neutral")  # type: ignore[arg-type]
    change = format_change(kpi.change_unit, kpi.change, kpi.delta, kpi.key)
    return KpiRow(kpi.key, kpi.label, value, change, arrow, tone, previous, kpi, plan)


def _alert_line(row: sa.Row[tuple[object, ...]]) -> AlertLine:
    created = row.created_at.isoformat() if row.created_at is not None else None
    return AlertLine(
        id=int(row.id),
        type=str(row.type),
        title=str(row.title),
        description=str(row.description or ""),
        severity=str(row.severity or "unrated"),
        raised=format_date(created),
        status=str(row.status),
    )


def gather(
    conn: sa.Connection,
    window: Window,
    *,
    recipient: str,
    role: str,
    frequency: str,
    period: Period,
    symbol: str,
    public_url: str,
) -> Digest:
    """One recipient's digest for `window`, reporting alerts raised since `period.since`."""
    from execdash.api.routes.alerts import alerts_query
    from execdash.api.routes.dashboard import open_risks
    from execdash.api.routes.insights import gather as summary_inputs
    from execdash.db.schema import alerts
    from execdash.insights.summary import summarise
    from execdash.metrics import drilldown, finance
    from execdash.plans.attach import with_plan

    inputs = summary_inputs(conn, window, symbol)
    summary = summarise(inputs)
    planned = with_plan(conn, window, inputs.kpis)  # the dashboard tiles' plan comparison
    kpis = roles.ordered(planned, role, lambda k: k.key)
    plan_of = next((k.plan for k in planned if k.plan is not None), None)
    statements = roles.ordered(summary.statements, role, lambda s: s.topic)
    newest = alerts.c.created_at.desc().nulls_last(), alerts.c.id.desc()
    new_rows = conn.execute(
        alerts_query()
        .where(alerts.c.created_at >= period.since)
        .order_by(*newest)
        .limit(NEW_ALERTS_LIMIT)
    ).all()
    open_query = alerts_query(exclude_closed=True)
    open_total = conn.execute(
        sa.select(sa.func.count()).select_from(open_query.subquery())
    ).scalar_one()
    open_rows = conn.execute(open_query.order_by(*newest).limit(200)).all()
    open_lines = roles.alerts_first([_alert_line(r) for r in open_rows], role, lambda a: a.type)
    risks = [
        RiskLine(
            r.id,
            r.title,
            r.owner or "no owner",
            format_date(r.due.isoformat()) if r.due else "no date",
            r.overdue,
            r.mitigation or "",
        )
        for r in open_risks(conn, RISKS_LIMIT)
    ]
    focus_key = roles.CHART_KPI.get(role, "arr")
    first, last = window.month_keys[0], window.as_of
    span = (
        format_period(last) if first == last else f"{format_period(first)} – {format_period(last)}"
    )
    return Digest(
        recipient=recipient,
        role=role,
        frequency=frequency,
        period=period,
        window_label=span,
        compared_with=f"the {window.length} months before",
        currency_symbol=symbol,
        kpis=[kpi_row(k, symbol) for k in kpis],
        headline=summary.headline,
        statements=[(s.tone, s.text) for s in statements],
        actions=list(summary.actions),
        new_alerts=roles.alerts_first([_alert_line(r) for r in new_rows], role, lambda a: a.type),
        open_alerts=open_lines[:OPEN_ALERTS_LIMIT],
        open_alerts_total=int(open_total),
        risks=risks,
        revenue_trend=finance.revenue_trend(conn, window),
        focus=drilldown.drilldown(conn, window, focus_key).series,
        plan_name=f"{plan_of.plan_name} v{plan_of.plan_version}" if plan_of else None,
        links={
            "overview": f"{public_url}/?range={window.range_key}&as_of={window.as_of}",
            "alerts": f"{public_url}/alerts",
            "focus": f"{public_url}/kpi/{focus_key}?range={window.range_key}&as_of={window.as_of}",
        },
    )
