"""Server CSVs: cells a spreadsheet could run as a formula get a leading quote; numbers stay."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import Response
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from execdash.api.listing import (
    Page,
    PageParams,
    csv_response,
    fetch_page,
    list_response,
    page_params,
    sort_clause,
)
from execdash.db import schema
from tests.api.conftest import bearer


def _cells(values: list[object]) -> list[str]:
    response = csv_response("x.csv", ["v"], [{"v": v} for v in values])
    rows = list(csv.reader(io.StringIO(bytes(response.body).decode())))
    return [row[0] for row in rows[1:]]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("\tplain", "'\tplain"),
        ("\r\n@x", "'\r\n@x"),
        ("\t5", "'\t5"),
    ],
)
def test_formula_like_text_is_neutralised(cell: str, written: str) -> None:
    assert _cells([cell]) == [written]


@pytest.mark.parametrize(
    ("cell", "written"),
    [("-5", "-5"), ("+3.5", "+3.5"), ("-1e3", "-1e3"), (-5, "-5"), ("plain", "plain"),
     ("a=b", "a=b"), ("", "")],
)  # fmt: skip
def test_numbers_and_plain_text_are_left_alone(cell: object, written: str) -> None:
    assert _cells([cell]) == [written]


def test_alert_csv_download_neutralises_a_tab_led_formula(
    client: TestClient, engine: Engine, tokens: dict[str, str]
) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.alerts.insert().values(id=9, type="ops", title="\t=HYPERLINK(1)", severity="low")
        )
    response = client.get("/api/v1/alerts?format=csv", headers=bearer(tokens["viewer"]))
    assert response.status_code == 200
    assert "'\t=HYPERLINK(1)" in response.text


def test_csv_download_is_utf8_csv_with_its_file_name_and_crlf_lines() -> None:
    response = csv_response("alerts.csv", ["id", "title"], [{"id": 1, "title": "Late"}])
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="alerts.csv"'
    assert bytes(response.body) == b"id,title\r\n1,Late\r\n"


def test_empty_booleans_and_timestamps_are_written_as_a_spreadsheet_reads_them() -> None:
    stamp = dt.datetime(2025, 8, 1, 9, 30)
    assert _cells([None, True, False, stamp, dt.date(2025, 8, 31)]) == [
        "",
        "true",
        "false",
        "2025-08-01T09:30:00",
        "2025-08-31",
    ]


def test_paging_defaults_to_the_first_page_of_50_rows() -> None:
    assert asyncio.run(page_params()) == PageParams(page=1, page_size=50)
    assert PageParams(page=3, page_size=10).offset == 20


_ROWS = sa.table("rows", sa.column("id", sa.Integer), sa.column("score", sa.Integer))


class _Row(BaseModel):
    id: int
    score: int | None


@pytest.fixture
def scored() -> Iterator[sa.Connection]:
    """Rows 1..5 scored 10, null, 10, 5, 7 in an in-memory database."""
    with sa.create_engine("sqlite://").connect() as conn:
        conn.execute(sa.text("CREATE TABLE rows (id INTEGER PRIMARY KEY, score INTEGER)"))
        conn.execute(sa.text("INSERT INTO rows VALUES (1, 10), (2, NULL), (3, 10), (4, 5), (5, 7)"))
        yield conn


def _ids(conn: sa.Connection, sort: str) -> list[int]:
    order = sort_clause(sort, {"score": _ROWS.c.score}, _ROWS.c.id)
    return [row.id for row in conn.execute(sa.select(_ROWS).order_by(*order))]


def test_sort_ascending_or_descending_with_nulls_last_and_ties_in_the_same_direction(
    scored: sa.Connection,
) -> None:
    assert _ids(scored, "score") == [4, 5, 1, 3, 2]
    assert _ids(scored, "-score") == [3, 1, 5, 4, 2]


def test_a_page_holds_its_rows_and_the_total_of_every_page(scored: sa.Connection) -> None:
    rows, total = fetch_page(
        scored, sa.select(_ROWS), [_ROWS.c.id], PageParams(page=2, page_size=2)
    )
    assert (rows, total) == ([{"id": 3, "score": 10}, {"id": 4, "score": 5}], 5)


def _request(accept: str = "") -> Request:
    return Request({"type": "http", "headers": [(b"accept", accept.encode())]})


def test_list_response_is_a_json_page_of_models_or_every_row_as_the_named_csv(
    scored: sa.Connection,
) -> None:
    query, order = sa.select(_ROWS), [_ROWS.c.id]
    paging = PageParams(page=3, page_size=2)
    page = list_response(_request(), "json", scored, query, order, paging, _Row, ("r.csv", ["id"]))
    assert isinstance(page, Page)
    assert (page.items, page.total, page.page, page.page_size) == (
        [_Row(id=5, score=7)],
        5,
        3,
        2,
    )
    csv_page = list_response(
        _request("text/csv"), "json", scored, query, order, paging, _Row, ("r.csv", ["id"])
    )
    assert isinstance(csv_page, Response)
    assert csv_page.headers["content-disposition"] == 'attachment; filename="r.csv"'
    assert bytes(csv_page.body) == b"id\r\n1\r\n2\r\n3\r\n4\r\n5\r\n"


def test_a_request_without_an_accept_header_gets_the_json_page(scored: sa.Connection) -> None:
    bare = Request({"type": "http", "headers": []})
    paging = PageParams(page=1, page_size=1)
    page = list_response(
        bare, "json", scored, sa.select(_ROWS), [_ROWS.c.id], paging, _Row, ("r.csv", ["id"])
    )
    assert isinstance(page, Page)
    assert (page.items, page.total) == ([_Row(id=1, score=10)], 5)
