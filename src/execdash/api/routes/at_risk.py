"""At-risk customers ranked by expected loss (mrr × risk); editors create, edit and delete them.

A risk is a probability 0–1; a value above 1 and up to 100 is read as a percentage and divided by
100 (on write, and on read for rows other tools stored that way); above 100 is rejected.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from execdash.api.auth import Editor, Reader
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import Number, RowId
from execdash.api.listing import (
    FormatParam,
    Page,
    Paging,
    list_response,
    sort_clause,
)
from execdash.api.onethread import ReadRoute
from execdash.db.changes import record_data_change
from execdash.db.schema import retention_at_risk as at_risk

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/at-risk-customers", tags=["retention"])
READ_ERRORS = problem_responses(401, 422)
WRITE_ERRORS = problem_responses(401, 403, 404, 422)

RISK = sa.case((at_risk.c.risk > 1, at_risk.c.risk / 100.0), else_=at_risk.c.risk)
EXPECTED_LOSS = at_risk.c.mrr * RISK
AtRiskSort = Literal["expected_loss", "-expected_loss", "mrr", "-mrr", "risk", "-risk",
                     "customer", "-customer", "id", "-id"]  # fmt: skip
SORTS: dict[str, sa.ColumnElement[Any]] = {
    "expected_loss": EXPECTED_LOSS,
    "mrr": at_risk.c.mrr,
    "risk": RISK,
    "customer": at_risk.c.customer,
    "id": at_risk.c.id,
}
COLUMNS = ["id", "customer", "mrr", "risk", "expected_loss", "reason"]
RISK_HELP = "Churn probability 0–1; a value above 1 (up to 100) is a percentage, divided by 100."


def normalise_risk(value: float) -> float:
    """0–1 as is; above 1 up to 100 is a percentage; negative or above 100 is an error."""
    if value < 0:
        raise ValueError("risk must not be negative")
    if value > 100:
        raise ValueError("risk must be a probability 0–1 (or a percentage up to 100)")
    return value / 100 if value > 1 else value


class AtRiskCustomer(BaseModel):
    """A customer that may churn, with the monthly revenue it would take with it."""

    id: int
    customer: str
    mrr: float
    risk: float
    expected_loss: float
    reason: str | None


class AtRiskCreate(BaseModel):
    """A new at-risk customer; `risk` 0–1, or 0–100 (divided by 100)."""

    customer: str = Field(min_length=1, max_length=500)
    mrr: Number = Field(ge=0, le=1e12, allow_inf_nan=False)
    risk: Number = Field(ge=0, le=100, allow_inf_nan=False, description=RISK_HELP)
    reason: str | None = Field(None, max_length=5000)

    _risk = field_validator("risk")(normalise_risk)


class AtRiskUpdate(BaseModel):
    """Fields to change; omitted fields stay as they are."""

    # Omit to keep; null is not a value for a required column (nor in the spec).
    customer: Annotated[str, Field(min_length=1, max_length=500)] | SkipJsonSchema[None] = None
    mrr: Annotated[Number, Field(ge=0, le=1e12, allow_inf_nan=False)] | SkipJsonSchema[None] = None
    risk: (
        Annotated[Number, Field(ge=0, le=100, allow_inf_nan=False, description=RISK_HELP)]
        | SkipJsonSchema[None]
    ) = None
    reason: str | None = Field(None, max_length=5000)

    @field_validator("risk")
    @classmethod
    def _risk(cls, value: float | None) -> float | None:
        return None if value is None else normalise_risk(value)


def at_risk_query() -> sa.Select[Any]:
    """At-risk customers with normalised risk and expected loss."""
    return sa.select(
        at_risk.c.id,
        at_risk.c.customer,
        at_risk.c.mrr,
        RISK.label("risk"),
        EXPECTED_LOSS.label("expected_loss"),
        at_risk.c.reason,
    )


def _one(conn: sa.Connection, row_id: RowId) -> AtRiskCustomer:
    row = conn.execute(at_risk_query().where(at_risk.c.id == row_id)).first()
    if row is None:
        raise HTTPException(404, f"No at-risk customer with id {row_id}.")
    return AtRiskCustomer.model_validate(dict(row._mapping))


@router.get("", response_model=Page[AtRiskCustomer], responses=READ_ERRORS)
def list_at_risk(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    paging: Paging,
    sort: Annotated[AtRiskSort, Query(description="`-` prefix = descending.")] = "-expected_loss",
    format: FormatParam = "json",
) -> Page[AtRiskCustomer] | Response:
    """At-risk customers, largest expected loss first by default."""
    order = sort_clause(sort, SORTS, at_risk.c.id)
    csv_file = ("at-risk-customers.csv", COLUMNS)
    return list_response(
        request, format, conn, at_risk_query(), order, paging, AtRiskCustomer, csv_file
    )


@router.get("/{row_id}", response_model=AtRiskCustomer, responses=problem_responses(401, 404, 422))
def get_at_risk(row_id: RowId, conn: ReadConn, _user: Reader) -> AtRiskCustomer:
    """One at-risk customer."""
    return _one(conn, row_id)


@router.post("", response_model=AtRiskCustomer, status_code=201, responses=WRITE_ERRORS)
def create_at_risk(body: AtRiskCreate, conn: WriteConn, _user: Editor) -> AtRiskCustomer:
    """Add an at-risk customer."""
    result = conn.execute(at_risk.insert().values(**body.model_dump()))
    record_data_change(conn, ["retention_at_risk"])
    return _one(conn, int(result.inserted_primary_key[0]))  # type: ignore[index]


@router.patch("/{row_id}", response_model=AtRiskCustomer, responses=WRITE_ERRORS)
def update_at_risk(
    row_id: RowId, body: AtRiskUpdate, conn: WriteConn, _user: Editor
) -> AtRiskCustomer:
    """Change an at-risk customer's name, MRR, risk or reason."""
    _one(conn, row_id)
    values = body.model_dump(exclude_unset=True)
    for required in ("customer", "mrr", "risk"):
        if required in values and values[required] is None:
            raise HTTPException(422, f"Field {required!r} cannot be null.")
    if values:
        conn.execute(at_risk.update().where(at_risk.c.id == row_id).values(**values))
        record_data_change(conn, ["retention_at_risk"])
    return _one(conn, row_id)


@router.delete("/{row_id}", status_code=204, response_class=Response, responses=WRITE_ERRORS)
def delete_at_risk(row_id: RowId, conn: WriteConn, _user: Editor) -> Response:
    """Remove an at-risk customer (e.g. renewed)."""
    _one(conn, row_id)
    conn.execute(at_risk.delete().where(at_risk.c.id == row_id))
    record_data_change(conn, ["retention_at_risk"])
    return Response(status_code=204)
