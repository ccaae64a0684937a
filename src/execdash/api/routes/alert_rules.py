"""Alert rules: list, read, create, edit, enable/disable, delete (editors), the metrics a rule
can watch, and a backtest of a draft rule before it is saved."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field

from execdash.alerts import backtest as bt
from execdash.alerts import describe, evaluate, hook, offplan, store
from execdash.alerts.catalog import METRICS
from execdash.alerts.rules import DEFAULT_HYSTERESIS
from execdash.api.auth import Editor, Reader
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import RowId, UtcDateTime
from execdash.api.onethread import ReadRoute
from execdash.db.changes import record_data_change
from execdash.db.tables import alert_rules
from execdash.metrics.materialise import configured_symbol
from execdash.plans import store as plan_store
from execdash.plans.catalog import PLANNABLE

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/alert-rules", tags=["alert rules"])
READ_ERRORS = problem_responses(401, 422)
WRITE_ERRORS = problem_responses(401, 403, 404, 422)

Kind = Literal["threshold", "change", "off_plan", "anomaly"]
Direction = Literal["above", "below", "either"]
Compare = Literal["previous", "year_ago"]
Severity = Literal["low", "medium", "high"]
NO_ACTIVE_PLAN = (
    "an off-plan rule compares with the active plan and there is none: import a plan and mark "
    "it active on the Plans page (/plans) first"
)


class RuleFields(BaseModel):
    """A rule as written by an editor (every field, so a draft can be backtested)."""

    name: str = Field(min_length=1, max_length=200, examples=["Monthly revenue floor"])
    metric: str = Field(min_length=1, max_length=64, examples=["revenue"])
    kind: Kind
    direction: Direction = Field(
        description="threshold: above/below the value; change: above = rises, below = falls, "
        "either; anomaly: above/below/either side of the expected band."
    )
    value: float | None = Field(
        None,
        description="threshold: the line, in the metric's unit (ratios 0–1); change: the "
        "relative change that fires, e.g. 0.1 = 10%; off plan: the gap to the active plan that "
        "fires, relative (0.05 = 5%) or, for ratio KPIs, in ratio units (0.005 = 0.5 pts).",
    )
    compare: Compare | None = Field(None, description="change: previous month or a year ago.")
    min_volume: float | None = Field(
        None, ge=0, description="change: fire only when either month is at least this big."
    )
    sensitivity: float | None = Field(
        None, ge=1, le=10, description="anomaly: band half-width in robust standard deviations."
    )
    hysteresis: float = Field(
        DEFAULT_HYSTERESIS, ge=0, le=0.5,
        description="Fraction of the line the signal must get back by before the alert resolves.",
    )  # fmt: skip
    severity: Severity = "medium"
    enabled: bool = True


class RuleUpdate(BaseModel):
    """Fields of a rule to change; omitted fields stay as they are."""

    name: str | None = Field(None, min_length=1, max_length=200)
    metric: str | None = Field(None, min_length=1, max_length=64)
    kind: Kind | None = None
    direction: Direction | None = None
    value: float | None = None
    compare: Compare | None = None
    min_volume: float | None = Field(None, ge=0)
    sensitivity: float | None = Field(None, ge=1, le=10)
    hysteresis: float | None = Field(None, ge=0, le=0.5)
    severity: Severity | None = None
    enabled: bool | None = None


class Rule(BaseModel):
    """A stored rule, what it says in words, and whether it is firing now."""

    id: int
    name: str
    metric: str
    metric_label: str
    unit: str
    domain: str
    kind: str
    direction: str
    value: float | None
    compare: str | None
    min_volume: float | None
    sensitivity: float | None
    hysteresis: float
    severity: str
    enabled: bool
    summary: str
    status: Literal["firing", "quiet", "disabled"]
    alert_id: int | None
    """The open alert of the episode it is firing in."""
    firing_since: str | None
    last_period: str | None
    drilldown_url: str
    created_by: str | None
    created_at: UtcDateTime | None
    updated_by: str | None
    updated_at: UtcDateTime | None


class RuleList(BaseModel):
    """Every rule, oldest first."""

    items: list[Rule]
    total: int


class MetricChoice(BaseModel):
    """A metric a rule can watch."""

    key: str
    label: str
    unit: str
    domain: str
    executive: bool
    plannable: bool = Field(description="A plan can hold targets for it (off-plan rules).")


class BacktestMonth(BaseModel):
    """The draft rule on one month."""

    period: str
    value: float | None
    firing: bool
    started: bool
    expected: float | None
    lower: float | None
    upper: float | None
    plan: float | None = Field(None, description="The active plan for the month (off plan).")


class BacktestEpisode(BaseModel):
    """Months in a row it would have fired: one alert."""

    start: str
    end: str
    months: int


class BacktestResult(BaseModel):
    """How often the draft would have fired over the last 24 months, and when."""

    summary: str
    rule: str = Field(description="What the draft rule watches for, in one sentence.")
    first: str | None
    last: str | None
    alerts: int
    firing_months: int
    evaluable_months: int
    episodes: list[BacktestEpisode]
    months: list[BacktestMonth]


def _finite(name: str, value: float | None, problems: list[tuple[str, str]]) -> None:
    if value is not None and not math.isfinite(value):
        problems.append((name, "must be a finite number"))


def problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Every field of a whole rule that is wrong, with why (an empty list: valid)."""
    found: list[tuple[str, str]] = []
    if values.get("metric") not in METRICS:
        found.append(
            ("metric", f"no metric {values.get('metric')!r}; GET /api/v1/alert-rules/metrics "
                       "lists the metrics a rule can watch")
        )  # fmt: skip
    kind, direction, value = values.get("kind"), values.get("direction"), values.get("value")
    for name in ("value", "min_volume", "sensitivity", "hysteresis"):
        _finite(name, values.get(name), found)
    if kind == "off_plan":
        found.extend(_off_plan_problems(values.get("metric"), value))
    if kind == "threshold":
        if value is None:
            found.append(("value", "a threshold rule needs the value of its line"))
        if direction == "either":
            found.append(("direction", "a threshold rule fires above or below its line"))
    if kind == "change" and (value is None or not 0 < value <= 10):
        found.append(("value", "a change rule needs the relative change that fires, "
                               "above 0 and at most 10 (0.1 = 10%)"))  # fmt: skip
    if kind != "change" and values.get("compare") is not None:
        found.append(("compare", "only a change rule compares with another month"))
    if kind != "change" and values.get("min_volume") is not None:
        found.append(("min_volume", "only a change rule has a minimum volume"))
    if kind != "anomaly" and values.get("sensitivity") is not None:
        found.append(("sensitivity", "only an anomaly rule has a sensitivity"))
    if kind == "anomaly" and value is not None:
        found.append(("value", "an anomaly rule has no value: its line is the expected band"))
    return found


def _off_plan_problems(metric: object, value: float | None) -> list[tuple[str, str]]:
    """What is wrong with an off-plan rule's metric and value."""
    found: list[tuple[str, str]] = []
    if isinstance(metric, str) and metric in METRICS and not offplan.plannable(metric):
        names = ", ".join(METRICS[k].label for k in PLANNABLE if k in METRICS)
        found.append(
            ("metric", f"{METRICS[metric].label} has no plan: an off-plan rule watches a KPI "
                       f"a plan holds targets for ({names})")
        )  # fmt: skip
    if value is None or not 0 < value <= 10:
        found.append(("value", "an off-plan rule needs the gap to plan that fires, above 0 "
                               "(0.05 = 5%; for ratio KPIs 0.005 = 0.5 pts)"))  # fmt: skip
    return found


def _checked(values: dict[str, Any], conn: sa.Connection) -> dict[str, Any]:
    """`values` with defaults filled in, or a 422 naming every bad field."""
    found = problems(values)
    if values.get("kind") == "off_plan" and plan_store.active_plan(conn) is None:
        found.append(("kind", NO_ACTIVE_PLAN))
    if found:
        raise RequestValidationError(
            [{"loc": ("body", name), "msg": msg, "type": "value_error", "input": None}
             for name, msg in found]
        )  # fmt: skip
    out = dict(values)
    if out["kind"] == "change" and out.get("compare") is None:
        out["compare"] = "previous"
    if out["kind"] == "anomaly" and out.get("sensitivity") is None:
        out["sensitivity"] = 3.0
    return out


def _out(conn: sa.Connection, row: store.RuleRow, symbol: str) -> Rule:
    metric = METRICS.get(row.spec.metric)
    episode = store.open_firings(conn, [row.id]).get(row.id)
    status: Literal["firing", "quiet", "disabled"] = (
        "disabled" if not row.enabled else "firing" if episode else "quiet"
    )
    spec = row.spec
    return Rule(
        id=row.id, name=row.name, metric=spec.metric,
        metric_label=metric.label if metric else spec.metric,
        unit=metric.unit if metric else "count", domain=metric.domain if metric else "",
        kind=spec.kind, direction=spec.direction, value=spec.value, compare=spec.compare,
        min_volume=spec.min_volume, sensitivity=spec.sensitivity, hysteresis=spec.hysteresis,
        severity=row.severity, enabled=row.enabled,
        summary=describe.rule_sentence(metric, spec, symbol) if metric else "",
        status=status, alert_id=episode.alert_id if episode else None,
        firing_since=episode.period if episode else None,
        last_period=episode.last_period if episode else None,
        drilldown_url=metric.drilldown_url(episode.last_period if episode else None)
        if metric else "/",
        created_by=row.created_by, created_at=row.created_at,
        updated_by=row.updated_by, updated_at=row.updated_at,
    )  # fmt: skip


def _one(conn: sa.Connection, rule_id: int) -> store.RuleRow:
    found = store.rule(conn, rule_id)
    if found is None:
        raise HTTPException(404, f"No alert rule with id {rule_id}.")
    return found


def _values_of(row: store.RuleRow) -> dict[str, Any]:
    s = row.spec
    return {
        "name": row.name, "metric": s.metric, "kind": s.kind, "direction": s.direction,
        "value": s.value, "compare": s.compare, "min_volume": s.min_volume,
        "sensitivity": s.sensitivity, "hysteresis": s.hysteresis, "severity": row.severity,
        "enabled": row.enabled,
    }  # fmt: skip


@router.get("", response_model=RuleList, responses=READ_ERRORS)
def list_rules(conn: ReadConn, _user: Reader) -> RuleList:
    """Every rule with its state: firing (and since when), quiet or disabled."""
    symbol = configured_symbol()
    items = [_out(conn, r, symbol) for r in store.rules(conn)]
    return RuleList(items=items, total=len(items))


@router.get("/metrics", response_model=list[MetricChoice], responses=READ_ERRORS)
async def list_metrics(_user: Reader) -> list[MetricChoice]:
    """The executive KPIs and domain metrics a rule can watch."""
    return [
        MetricChoice(
            key=m.key,
            label=m.label,
            unit=m.unit,
            domain=m.domain,
            executive=m.source == "executive",
            plannable=offplan.plannable(m.key),
        )
        for m in METRICS.values()
    ]


@router.get("/{rule_id}", response_model=Rule, responses=problem_responses(401, 404, 422))
def get_rule(rule_id: RowId, conn: ReadConn, _user: Reader) -> Rule:
    """One rule."""
    return _out(conn, _one(conn, rule_id), configured_symbol())


def _saved(conn: sa.Connection, rule_id: int) -> Rule:
    record_data_change(conn, [alert_rules.name])
    hook.evaluate_safely(conn, rule_ids=[rule_id])
    return _out(conn, _one(conn, rule_id), configured_symbol())


@router.post("", response_model=Rule, status_code=201, responses=WRITE_ERRORS)
def create_rule(body: RuleFields, conn: WriteConn, user: Editor) -> Rule:
    """Save a rule; it is evaluated at once, so a rule already true fires now."""
    rule_id = store.insert_rule(conn, _checked(body.model_dump(), conn), user.username)
    return _saved(conn, rule_id)


@router.patch("/{rule_id}", response_model=Rule, responses=WRITE_ERRORS)
def update_rule(rule_id: RowId, body: RuleUpdate, conn: WriteConn, user: Editor) -> Rule:
    """Change a rule (also enable or disable it); a change of what it decides resolves the
    episode it was firing in, and it is evaluated again at once."""
    row = _one(conn, rule_id)
    changes = body.model_dump(exclude_unset=True)
    for required in ("name", "metric", "kind", "direction", "hysteresis", "severity", "enabled"):
        if required in changes and changes[required] is None:
            raise RequestValidationError(
                [{"loc": ("body", required), "msg": "cannot be null", "type": "value_error",
                  "input": None}]
            )  # fmt: skip
    merged = _checked({**_values_of(row), **changes}, conn)
    deciding = {k for k in changes if k not in ("name", "severity", "enabled")}
    if not merged["enabled"] and row.enabled:
        evaluate.close_rule_alerts(conn, rule_id, user.username, "the rule was disabled")
    elif deciding and any(merged[k] != _values_of(row)[k] for k in deciding):
        evaluate.close_rule_alerts(conn, rule_id, user.username, "the rule was changed")
    store.update_rule(conn, rule_id, merged, user.username)
    return _saved(conn, rule_id)


@router.delete("/{rule_id}", status_code=204, responses=WRITE_ERRORS)
def delete_rule(rule_id: RowId, conn: WriteConn, user: Editor) -> Response:
    """Delete a rule; the alert it is firing in is closed, the alerts it raised stay."""
    _one(conn, rule_id)
    evaluate.close_rule_alerts(conn, rule_id, user.username, "the rule was deleted")
    store.delete_rule(conn, rule_id)
    record_data_change(conn, [alert_rules.name])
    return Response(status_code=204)


def _backtest_summary(result: bt.Backtest) -> str:
    if not result.evaluable:
        return "Not enough history to judge this rule on any of the last 24 months."
    if not result.alerts:
        return f"Would not have fired in the last {len(result.months)} months."
    when = ", ".join(e.start for e in result.episodes[:6])
    more = f" and {result.alerts - 6} more" if result.alerts > 6 else ""
    plural = "s" if result.alerts != 1 else ""
    return (
        f"Would have raised {result.alerts} alert{plural} in the last {len(result.months)} "
        f"months (firing in {result.firing_months} of them), starting {when}{more}."
    )


@router.post("/backtest", response_model=BacktestResult, responses=WRITE_ERRORS)
def backtest_rule(body: RuleFields, conn: ReadConn, _user: Editor) -> BacktestResult:
    """Replay a draft rule (nothing is saved) over the last 24 months."""
    values = _checked(body.model_dump(), conn)
    spec = store.spec_of(values)
    result = bt.backtest(conn, spec, dt.date.today())
    return BacktestResult(
        summary=_backtest_summary(result),
        rule=describe.rule_sentence(METRICS[spec.metric], spec, configured_symbol()),
        first=result.first, last=result.last,
        alerts=result.alerts, firing_months=result.firing_months,
        evaluable_months=result.evaluable,
        episodes=[BacktestEpisode(start=e.start, end=e.end, months=e.months)
                  for e in result.episodes],
        months=[BacktestMonth(period=m.period, value=m.value, firing=m.firing, started=m.started,
                              expected=m.expected, lower=m.lower, upper=m.upper,
                              plan=m.plan)
                for m in result.months],
    )  # fmt: skip
