"""Paging, sorting and CSV-or-JSON output shared by every list endpoint."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

FormatParam = Annotated[
    Literal["json", "csv"],
    Query(description="`csv` for a CSV download (or send Accept: text/csv)."),
]


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count so a client can page on."""

    items: list[T]
    total: int
    page: int
    page_size: int


class PageParams(BaseModel):
    """Which page of how many rows."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Rows skipped before this page."""
        return (self.page - 1) * self.page_size


async def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
    page_size: Annotated[int, Query(ge=1, le=500, description="Rows per page, at most 500.")] = 50,
) -> PageParams:
    """Paging query parameters."""
    return PageParams(page=page, page_size=page_size)


def wants_csv(request: Request, fmt: str) -> bool:
    """True when the client asked for CSV by `?format=csv` or by its Accept header."""
    return fmt == "csv" or "text/csv" in request.headers.get("accept", "")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _is_formula_like(value):
        return "'" + value  # keep spreadsheets from running user text as a formula
    return value.isoformat() if hasattr(value, "isoformat") else value


FORMULA_STARTS = ("=", "+", "-", "@")
"""Leading characters a spreadsheet may read as the start of a formula (numbers excepted)."""
CONTROL_STARTS = ("\t", "\r")
"""Leading characters a spreadsheet strips before looking for a formula: always neutralised."""


def _is_formula_like(text: str) -> bool:
    """True when a spreadsheet could run `text` as a formula (so it gets a leading quote)."""
    if text[:1] in CONTROL_STARTS:
        return True
    return text[:1] in FORMULA_STARTS and not _is_number(text)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(
    filename: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> Response:
    """A CSV download: header row of `columns`, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return Response(
        buffer.getvalue().encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def fetch_page(
    conn: sa.Connection,
    query: sa.Select[Any],
    order_by: Sequence[sa.ColumnElement[Any]],
    params: PageParams,
) -> tuple[list[dict[str, Any]], int]:
    """Rows of one page of `query` in `order_by` order, and the total row count."""
    total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(*order_by).limit(params.page_size).offset(params.offset))
    return [dict(row._mapping) for row in rows], int(total)


def all_rows(
    conn: sa.Connection, query: sa.Select[Any], order_by: Sequence[sa.ColumnElement[Any]]
) -> list[dict[str, Any]]:
    """Every row of `query` (for CSV exports, which are not paged)."""
    return [dict(row._mapping) for row in conn.execute(query.order_by(*order_by))]


def list_response(
    request: Request,
    fmt: str,
    conn: sa.Connection,
    query: sa.Select[Any],
    order_by: Sequence[sa.ColumnElement[Any]],
    paging: PageParams,
    model: type[M],
    csv_file: tuple[str, Sequence[str]],
) -> Page[M] | Response:
    """One JSON page of `model`s, or every row as the CSV download `csv_file` (name, columns)."""
    if wants_csv(request, fmt):
        filename, columns = csv_file
        return csv_response(filename, columns, all_rows(conn, query, order_by))
    items, total = fetch_page(conn, query, order_by, paging)
    return Page[M](
        items=[model.model_validate(item) for item in items],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
    )


def sort_clause(
    sort: str, columns: Mapping[str, sa.ColumnElement[Any]], tiebreak: sa.ColumnElement[Any]
) -> list[sa.ColumnElement[Any]]:
    """ORDER BY for `sort` (`name` ascending, `-name` descending) from an allow-list of columns."""
    column = columns[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    return [ordered.nulls_last(), tiebreak.desc() if sort.startswith("-") else tiebreak.asc()]


Paging = Annotated[PageParams, Depends(page_params)]
"""The `page` and `page_size` query parameters, as an endpoint parameter type."""
