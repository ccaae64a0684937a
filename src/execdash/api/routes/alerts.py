"""Alerts: filtered, sorted, paged list; create, edit, acknowledge, close and reopen (editors)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from execdash.alerts.catalog import METRICS
from execdash.api.accounts import User, utcnow
from execdash.api.auth import Editor, Reader
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import RowId, UtcDateTime
from execdash.api.listing import (
    FormatParam,
    Page,
    Paging,
    list_response,
    sort_clause,
)
from execdash.api.onethread import ReadRoute
from execdash.db.changes import record_data_change
from execdash.db.schema import alerts
from execdash.db.tables import alert_firings, alert_rules, alert_status

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/alerts", tags=["alerts"])
READ_ERRORS = problem_responses(401, 422)
WRITE_ERRORS = problem_responses(401, 403, 404, 422)

Severity = Literal["low", "medium", "high"]
AlertState = Literal["open", "acknowledged", "closed"]
AlertSort = Literal[
    "created_at", "-created_at", "severity", "-severity", "type", "-type", "id", "-id"
]

state_col: sa.ColumnElement[str] = sa.func.coalesce(alert_status.c.status, "open")
SEVERITY_RANK = sa.case({"low": 1, "medium": 2, "high": 3}, value=alerts.c.severity, else_=0)
SORTS: dict[str, sa.ColumnElement[Any]] = {
    "created_at": alerts.c.created_at,
    "severity": SEVERITY_RANK,
    "type": alerts.c.type,
    "id": alerts.c.id,
}
COLUMNS = ["id", "type", "title", "description", "severity", "created_at", "status",
           "status_by", "status_at"]  # fmt: skip


class Alert(BaseModel):
    """An alert with its workflow state (`open` until someone acknowledges or closes it)."""

    id: int
    type: str
    title: str
    description: str | None
    severity: str | None
    created_at: UtcDateTime | None
    status: str
    status_by: str | None
    status_at: UtcDateTime | None
    rule_id: int | None = None
    """The alert rule that raised it (null for alerts written by people or other tools)."""
    rule_url: str | None = None
    """The rule on the Alert rules page."""
    drilldown_url: str | None = None
    """The metric's page at the month the alert is about."""

    @model_validator(mode="before")
    @classmethod
    def _links(cls, data: Any) -> Any:
        """Links from the rule's metric and the latest month of the episode."""
        if not isinstance(data, dict) or data.get("rule_id") is None:
            return data
        metric = METRICS.get(str(data.get("metric")))
        return {
            **data,
            "rule_url": f"/alert-rules#rule-{data['rule_id']}",
            "drilldown_url": metric.drilldown_url(data.get("period")) if metric else None,
        }


class AlertCreate(BaseModel):
    """A new alert."""

    type: str = Field(min_length=1, max_length=100, examples=["ops"])
    title: str = Field(min_length=1, max_length=500)
    description: str | None = Field(None, max_length=5000)
    severity: Severity = "medium"


class AlertUpdate(BaseModel):
    """Fields of an alert to change; omitted fields stay as they are."""

    # Omit to keep; null is not a value for a required column (nor in the spec).
    type: Annotated[str, Field(min_length=1, max_length=100)] | SkipJsonSchema[None] = None
    title: Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None] = None
    description: str | None = Field(None, max_length=5000)
    severity: Severity | None = None


def _select() -> sa.Select[Any]:
    return sa.select(
        alerts.c.id,
        alerts.c.type,
        alerts.c.title,
        alerts.c.description,
        alerts.c.severity,
        alerts.c.created_at,
        state_col.label("status"),
        alert_status.c.updated_by.label("status_by"),
        alert_status.c.updated_at.label("status_at"),
        alert_firings.c.rule_id,
        alert_rules.c.metric,
        alert_firings.c.last_period.label("period"),
    ).select_from(
        alerts.outerjoin(alert_status, alert_status.c.alert_id == alerts.c.id)
        .outerjoin(alert_firings, alert_firings.c.alert_id == alerts.c.id)
        .outerjoin(alert_rules, alert_rules.c.id == alert_firings.c.rule_id)
    )


def alerts_query(
    type_: str | None = None,
    severity: str | None = None,
    status: str | None = None,
    exclude_closed: bool = False,
) -> sa.Select[Any]:
    """Alerts joined with their state, filtered by type, severity and state."""
    query = _select()
    if exclude_closed:
        query = query.where(state_col != "closed")
    if type_ is not None:
        query = query.where(alerts.c.type == type_)
    if severity is not None:
        query = query.where(alerts.c.severity == severity)
    if status is not None:
        query = query.where(state_col == status)
    return query


def _one(conn: sa.Connection, alert_id: RowId) -> Alert:
    row = conn.execute(_select().where(alerts.c.id == alert_id)).first()
    if row is None:
        raise HTTPException(404, f"No alert with id {alert_id}.")
    return Alert.model_validate(dict(row._mapping))


@router.get("", response_model=Page[Alert], responses=READ_ERRORS)
def list_alerts(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    paging: Paging,
    type: Annotated[str | None, Query(max_length=100, description="Only this type.")] = None,
    severity: Severity | None = None,
    status: Annotated[AlertState | None, Query(description="Workflow state.")] = None,
    sort: Annotated[
        AlertSort, Query(description="Column; `-` prefix = descending.")
    ] = "-created_at",
    format: FormatParam = "json",
) -> Page[Alert] | Response:
    """Alerts, newest first by default; CSV holds every matching row."""
    query = alerts_query(type, severity, status)
    order = sort_clause(sort, SORTS, alerts.c.id)
    return list_response(
        request, format, conn, query, order, paging, Alert, ("alerts.csv", COLUMNS)
    )


@router.get("/{alert_id}", response_model=Alert, responses=problem_responses(401, 404, 422))
def get_alert(
    alert_id: RowId,
    conn: ReadConn,
    _user: Reader,
) -> Alert:
    """One alert with its state."""
    return _one(conn, alert_id)


@router.post("", response_model=Alert, status_code=201, responses=WRITE_ERRORS)
def create_alert(
    body: AlertCreate,
    conn: WriteConn,
    _user: Editor,
) -> Alert:
    """Raise a new alert (state open)."""
    new_id = conn.execute(  # type: ignore[index]
        alerts.insert().values(**body.model_dump(), created_at=utcnow())
    ).inserted_primary_key[0]
    record_data_change(conn, ["alerts"])
    return _one(conn, int(new_id))


@router.patch("/{alert_id}", response_model=Alert, responses=WRITE_ERRORS)
def update_alert(
    alert_id: RowId,
    body: AlertUpdate,
    conn: WriteConn,
    _user: Editor,
) -> Alert:
    """Change an alert's type, title, description or severity."""
    _one(conn, alert_id)
    values = body.model_dump(exclude_unset=True)
    for required in ("type", "title"):
        if required in values and values[required] is None:
            raise HTTPException(422, f"Field {required!r} cannot be null.")
    if values:
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(**values))
        record_data_change(conn, ["alerts"])
    return _one(conn, alert_id)


def _set_state(conn: sa.Connection, alert_id: RowId, state: str, user: User) -> Alert:
    _one(conn, alert_id)
    values = {"status": state, "updated_by": user.username, "updated_at": utcnow()}
    updated = conn.execute(
        alert_status.update().where(alert_status.c.alert_id == alert_id).values(**values)
    )
    if updated.rowcount == 0:
        conn.execute(alert_status.insert().values(alert_id=alert_id, **values))
    record_data_change(conn, [alert_status.name])
    return _one(conn, alert_id)


@router.post("/{alert_id}/acknowledge", response_model=Alert, responses=WRITE_ERRORS)
def acknowledge_alert(
    alert_id: RowId,
    conn: WriteConn,
    user: Editor,
) -> Alert:
    """Mark an alert as seen and being handled."""
    return _set_state(conn, alert_id, "acknowledged", user)


@router.post("/{alert_id}/close", response_model=Alert, responses=WRITE_ERRORS)
def close_alert(
    alert_id: RowId,
    conn: WriteConn,
    user: Editor,
) -> Alert:
    """Close an alert: dealt with."""
    return _set_state(conn, alert_id, "closed", user)


@router.post("/{alert_id}/reopen", response_model=Alert, responses=WRITE_ERRORS)
def reopen_alert(
    alert_id: RowId,
    conn: WriteConn,
    user: Editor,
) -> Alert:
    """Put an acknowledged or closed alert back to open."""
    return _set_state(conn, alert_id, "open", user)
