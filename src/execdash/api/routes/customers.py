"""Read-only lists of customers and of customer feedback, filtered, sorted and paged."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn
from execdash.api.errors import problem_responses
from execdash.api.fields import MAX_ID, UtcDateTime
from execdash.api.listing import (
    FormatParam,
    Page,
    Paging,
    list_response,
    sort_clause,
)
from execdash.api.onethread import ReadRoute
from execdash.db.schema import customers, feedback

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/v1",
    tags=["customers"],
    responses=problem_responses(401, 422),
)

CustomerSort = Literal["name", "-name", "created_at", "-created_at", "industry", "-industry",
                       "source", "-source", "id", "-id"]  # fmt: skip
CUSTOMER_SORTS: dict[str, sa.ColumnElement[Any]] = {
    "name": customers.c.name,
    "created_at": customers.c.created_at,
    "industry": customers.c.industry,
    "source": customers.c.source,
    "id": customers.c.id,
}
CUSTOMER_COLUMNS = ["id", "name", "industry", "source", "created_at"]

FeedbackSort = Literal["created_at", "-created_at", "type", "-type", "id", "-id"]
FEEDBACK_SORTS: dict[str, sa.ColumnElement[Any]] = {
    "created_at": feedback.c.created_at,
    "type": feedback.c.type,
    "id": feedback.c.id,
}
FEEDBACK_COLUMNS = ["id", "customer_id", "customer_name", "type", "message", "created_at"]


class Customer(BaseModel):
    """A customer as stored."""

    id: int
    name: str
    industry: str | None
    source: str | None
    created_at: dt.date | None


class Feedback(BaseModel):
    """One piece of customer feedback, with the customer's name when known."""

    id: int
    customer_id: int | None
    customer_name: str | None
    type: str
    message: str | None
    created_at: UtcDateTime | None


@router.get("/customers", response_model=Page[Customer])
def list_customers(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    paging: Paging,
    industry: Annotated[str | None, Query(max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Name contains (any case).")] = None,
    sort: Annotated[CustomerSort, Query(description="`-` prefix = descending.")] = "name",
    format: FormatParam = "json",
) -> Page[Customer] | Response:
    """Customers, by name by default."""
    query = sa.select(*(customers.c[name] for name in CUSTOMER_COLUMNS))
    if industry is not None:
        query = query.where(customers.c.industry == industry)
    if source is not None:
        query = query.where(customers.c.source == source)
    if q:
        query = query.where(sa.func.lower(customers.c.name).contains(q.lower(), autoescape=True))
    order = sort_clause(sort, CUSTOMER_SORTS, customers.c.id)
    csv_file = ("customers.csv", CUSTOMER_COLUMNS)
    return list_response(request, format, conn, query, order, paging, Customer, csv_file)


@router.get("/feedback", response_model=Page[Feedback])
def list_feedback(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    paging: Paging,
    type: Annotated[str | None, Query(max_length=100, description="Only this type.")] = None,
    customer_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this customer's.")
    ] = None,
    sort: Annotated[FeedbackSort, Query(description="`-` prefix = descending.")] = "-created_at",
    format: FormatParam = "json",
) -> Page[Feedback] | Response:
    """Customer feedback, newest first by default."""
    query = sa.select(
        feedback.c.id,
        feedback.c.customer_id,
        customers.c.name.label("customer_name"),
        feedback.c.type,
        feedback.c.message,
        feedback.c.created_at,
    ).select_from(feedback.outerjoin(customers, customers.c.id == feedback.c.customer_id))
    if type is not None:
        query = query.where(feedback.c.type == type)
    if customer_id is not None:
        query = query.where(feedback.c.customer_id == customer_id)
    order = sort_clause(sort, FEEDBACK_SORTS, feedback.c.id)
    csv_file = ("feedback.csv", FEEDBACK_COLUMNS)
    return list_response(request, format, conn, query, order, paging, Feedback, csv_file)
