"""Server CSVs: cells a spreadsheet could run as a formula get a leading quote; numbers stay."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api.listing import csv_response
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
