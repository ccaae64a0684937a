"""CSV downloads hold exactly the numbers the API sent; charts also download as PNG."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def _download(watched: Watched, selector: str) -> tuple[str, bytes]:
    with watched.page.expect_download() as info:
        watched.page.click(selector)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_revenue_chart_csv_matches_the_dashboard_api(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto("/?range=6m&granularity=quarter")
    name, body = _download(watched, "#revenue-chart button[aria-label$='as CSV']")
    assert name == "revenue-trend-6m-quarter-2026-10.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["period", "recognized", "booked", "backlog", "partial"]

    api = watched.page.request.get(f"{demo_url}/api/v1/dashboard?range=6m&granularity=quarter")
    series = {s["key"]: s["points"] for s in api.json()["revenue_trend"]}
    expected = [
        [p["period"], *(series[k][i]["value"] for k in ("recognized", "booked", "backlog")),
         "true" if p["partial"] else "false"]
        for i, p in enumerate(series["recognized"])
    ]  # fmt: skip
    got = [[r[0], float(r[1]), float(r[2]), float(r[3]), r[4]] for r in rows[1:]]
    # Written to 12 significant digits: the API's numbers without their float noise.
    assert got == [
        [
            p,
            pytest.approx(a, rel=1e-11),
            pytest.approx(b, rel=1e-11),
            pytest.approx(c, rel=1e-11),
            q,
        ]
        for p, a, b, c, q in expected
    ]
    watched.assert_clean()


def test_domain_chart_csv_matches_the_domain_api(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto("/operations?range=12m&granularity=month")
    card = "section[data-chart='uptime-against-plan']"
    name, body = _download(watched, f"{card} button[aria-label$='as CSV']")
    assert name == "uptime-against-plan-12m-month-2026-10.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    api = watched.page.request.get(f"{demo_url}/api/v1/operations?range=12m&granularity=month")
    uptime = next(s for s in api.json()["series"] if s["key"] == "uptime")
    assert [[r[0], float(r[1])] for r in rows[1:]] == [
        [p["period"], pytest.approx(p["value"], rel=1e-11)] for p in uptime["points"]
    ]
    watched.assert_clean()


def test_table_csv_and_chart_png_download(open_page: Callable[..., Watched], demo_url: str) -> None:
    watched = open_page(demo_url)
    watched.goto("/")
    name, body = _download(watched, "#at-risk-table button[aria-label$='as CSV']")
    assert name == "at-risk-customers-12m-month-2026-10.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    api = watched.page.request.get(f"{demo_url}/api/v1/dashboard").json()["at_risk"]
    assert [r[0] for r in rows[1:]] == [c["customer"] for c in api]
    assert [float(r[3]) for r in rows[1:]] == [
        pytest.approx(c["expected_loss"], rel=1e-11) for c in api
    ]

    name, body = _download(watched, "#revenue-chart button[aria-label$='as PNG']")
    assert name == "revenue-trend-12m-month-2026-10.png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    watched.assert_clean()
