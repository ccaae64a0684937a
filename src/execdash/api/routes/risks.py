"""Risks: filtered, sorted, paged list with an overdue flag; create, edit, change status."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from execdash.api.auth import Editor, Reader
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import IsoDate, RowId
from execdash.api.listing import (
    FormatParam,
    Page,
    Paging,
    list_response,
    sort_clause,
)
from execdash.api.onethread import ReadRoute
from execdash.db.changes import record_data_change
from execdash.db.schema import risks

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/risks", tags=["risks"])
READ_ERRORS = problem_responses(401, 422)
WRITE_ERRORS = problem_responses(401, 403, 404, 422)

RiskStatus = Literal["open", "mitigating", "closed"]
RiskSort = Literal["due", "-due", "title", "-title", "owner", "-owner", "status", "-status",
                   "id", "-id"]  # fmt: skip
SORTS: dict[str, sa.ColumnElement[Any]] = {
    "due": risks.c.due,
    "title": risks.c.title,
    "owner": risks.c.owner,
    "status": risks.c.status,
    "id": risks.c.id,
}
COLUMNS = ["id", "title", "owner", "due", "mitigation", "status", "overdue"]


class Risk(BaseModel):
    """A risk; `overdue` when its due date has passed and it is not closed."""

    id: int
    title: str
    owner: str | None
    due: dt.date | None
    mitigation: str | None
    status: str | None
    overdue: bool


class RiskCreate(BaseModel):
    """A new risk."""

    title: str = Field(min_length=1, max_length=500)
    owner: str | None = Field(None, max_length=200)
    due: IsoDate | None = None
    mitigation: str | None = Field(None, max_length=5000)
    status: RiskStatus = "open"


class RiskUpdate(BaseModel):
    """Fields of a risk to change; omitted fields stay as they are."""

    # Omit to keep; null is not a value for a required column (nor in the spec).
    title: Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None] = None
    owner: str | None = Field(None, max_length=200)
    due: IsoDate | None = None
    mitigation: str | None = Field(None, max_length=5000)
    status: RiskStatus | SkipJsonSchema[None] = None


class RiskStatusChange(BaseModel):
    """The new status of a risk."""

    status: RiskStatus


def today() -> dt.date:
    """Today's date in UTC (what "overdue" is judged against)."""
    return dt.datetime.now(dt.UTC).date()


def overdue_clause(on: dt.date) -> sa.ColumnElement[bool]:
    """Due before `on` and not closed."""
    return sa.and_(
        risks.c.due.is_not(None),
        risks.c.due < on,
        sa.func.coalesce(risks.c.status, "open") != "closed",
    )


def risks_query(
    status: str | None = None, owner: str | None = None, overdue: bool | None = None
) -> sa.Select[Any]:
    """Risks with their overdue flag, filtered by status, owner and overdue."""
    late = overdue_clause(today())
    query = sa.select(
        risks.c.id,
        risks.c.title,
        risks.c.owner,
        risks.c.due,
        risks.c.mitigation,
        risks.c.status,
        sa.case((late, True), else_=False).label("overdue"),
    )
    if status is not None:
        query = query.where(risks.c.status == status)
    if owner is not None:
        query = query.where(risks.c.owner == owner)
    if overdue is not None:
        query = query.where(late if overdue else sa.not_(late))
    return query


def _one(conn: sa.Connection, risk_id: RowId) -> Risk:
    row = conn.execute(risks_query().where(risks.c.id == risk_id)).first()
    if row is None:
        raise HTTPException(404, f"No risk with id {risk_id}.")
    return Risk.model_validate(dict(row._mapping))


@router.get("", response_model=Page[Risk], responses=READ_ERRORS)
def list_risks(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    paging: Paging,
    status: RiskStatus | None = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    overdue: Annotated[bool | None, Query(description="Only (not) overdue risks.")] = None,
    sort: Annotated[RiskSort, Query(description="Column; `-` prefix = descending.")] = "due",
    format: FormatParam = "json",
) -> Page[Risk] | Response:
    """Risks, soonest due first by default (no due date last)."""
    query = risks_query(status, owner, overdue)
    order = sort_clause(sort, SORTS, risks.c.id)
    return list_response(request, format, conn, query, order, paging, Risk, ("risks.csv", COLUMNS))


@router.get("/{risk_id}", response_model=Risk, responses=problem_responses(401, 404, 422))
def get_risk(risk_id: RowId, conn: ReadConn, _user: Reader) -> Risk:
    """One risk."""
    return _one(conn, risk_id)


@router.post("", response_model=Risk, status_code=201, responses=WRITE_ERRORS)
def create_risk(body: RiskCreate, conn: WriteConn, _user: Editor) -> Risk:
    """Record a new risk."""
    result = conn.execute(risks.insert().values(**body.model_dump()))
    record_data_change(conn, ["risks"])
    return _one(conn, int(result.inserted_primary_key[0]))  # type: ignore[index]


@router.patch("/{risk_id}", response_model=Risk, responses=WRITE_ERRORS)
def update_risk(risk_id: RowId, body: RiskUpdate, conn: WriteConn, _user: Editor) -> Risk:
    """Change a risk's title, owner, due date, mitigation or status."""
    _one(conn, risk_id)
    values = body.model_dump(exclude_unset=True)
    for required in ("title", "status"):
        if required in values and values[required] is None:
            raise HTTPException(422, f"Field {required!r} cannot be null.")
    if values:
        conn.execute(risks.update().where(risks.c.id == risk_id).values(**values))
        record_data_change(conn, ["risks"])
    return _one(conn, risk_id)


@router.post("/{risk_id}/status", response_model=Risk, responses=WRITE_ERRORS)
def change_risk_status(
    risk_id: RowId, body: RiskStatusChange, conn: WriteConn, _user: Editor
) -> Risk:
    """Move a risk to open, mitigating or closed."""
    _one(conn, risk_id)
    conn.execute(risks.update().where(risks.c.id == risk_id).values(status=body.status))
    record_data_change(conn, ["risks"])
    return _one(conn, risk_id)
