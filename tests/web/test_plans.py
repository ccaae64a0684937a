"""What a person reads about the plan: on the tiles (plan, variance, attainment, status), the
overview's ranking, the drill-down's plan line and months off plan, and the Plans page where an
editor changes one target; at 1440 px and on a 390 px phone, with fresh screenshots."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from execdash.api.accounts import add_user
from execdash.config import Settings
from execdash.demo.plans import write_plans
from tests.live_server import serving
from tests.web.conftest import PASSWORD, Watched, login

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
MINUS = "\u2212"
VIEW = "range=12m&granularity=month"
"""The query the pages send for the default view (answers are cached per query)."""
WARM = (
    "/api/v1/dashboard",
    "/api/v1/finance",
    "/api/v1/retention",
    "/api/v1/operations",
    "/api/v1/kpis/payback",
    "/api/v1/kpis/coverage_months",
    "/api/v1/kpis/uptime",
    "/api/v1/kpis/revenue",
    "/api/v1/kpis/revenue?by=customer",
    "/api/v1/kpis/uptime",
    "/api/v1/summary",
    "/api/v1/plans/lines",
)
STATUS = {"on_track": "ON TRACK", "at_risk": "AT RISK", "off_track": "OFF TRACK"}


@pytest.fixture
def plan_url(demo_engine: Engine) -> Iterator[str]:
    """The demo company with its budget and active mid-year reforecast, and an editor."""
    _, active = write_plans(demo_engine, dt.date(2026, 10, 1))
    with demo_engine.begin() as conn:
        add_user(conn, "eddie", PASSWORD, "editor")
    with serving(Settings(database_url=str(demo_engine.url))) as base:
        # Compute the answers once before a page waits for them (the server caches each one):
        # on a machine this busy the first uncached overview can take longer than a page's wait.
        queries = [f"{p}{'&' if '?' in p else '?'}{VIEW}" for p in WARM]
        for path in (*queries, "/api/v1/plans", f"/api/v1/plans/{active.id}"):  # as the pages ask
            with urllib.request.urlopen(base + path, timeout=300) as answer:  # noqa: S310 (loopback)
                assert answer.status == 200
        yield base


def money(value: float) -> str:
    """£7.6M: the page's compact currency."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale * 0.9995:
            scaled = abs(value) / scale
            return f"{MINUS if value < 0 else ''}£{scaled:.{0 if scaled >= 99.95 else 1}f}{suffix}"
    return f"£{value:.0f}"


def relative(value: float) -> str:
    """+4.2% / −3.1%: the page's relative change."""
    text = f"{abs(value) * 100:.1f}"
    return f"{MINUS if value < 0 else '+'}{text}%"


def _dashboard(page: Any, base: str) -> dict[str, Any]:
    body: dict[str, Any] = page.request.get(f"{base}/api/v1/dashboard").json()
    return body


@pytest.mark.parametrize("width", [1440, 390])
def test_tiles_show_plan_variance_attainment_and_status(
    open_page: Callable[..., Watched], plan_url: str, width: int
) -> None:
    watched = open_page(plan_url, width=width)
    page = watched.page
    watched.goto("/")
    revenue = next(k for k in _dashboard(page, plan_url)["kpis"] if k["key"] == "revenue")
    plan = revenue["plan"]
    block = page.locator(".tile[data-kpi='revenue'] .tile-plan")
    block.scroll_into_view_if_needed()
    assert block.is_visible()
    text = block.inner_text()
    assert f"Plan {money(plan['plan'])}" in text
    assert f"{relative(plan['variance_pct'])} vs plan" in text
    assert f"{plan['attainment'] * 100:.1f}% of plan" in text
    period = plan["period"]
    assert (
        f"FY2026 lands at {money(period['landing'])} vs {money(period['plan'])} plan "
        f"({relative(period['gap_pct'])})"
    ) in text
    status = block.locator(".plan-status")
    assert status.inner_text().strip().upper() == STATUS[plan["status"]]
    assert "on track when at most 2% below plan" in (status.get_attribute("title") or "")
    colour = status.evaluate("e => getComputedStyle(e).color")
    tone = {"on_track": "--good", "at_risk": "--warn", "off_track": "--bad"}[plan["status"]]
    expected = page.evaluate(
        "t => { const s = document.createElement('span'); s.style.color = `var(${t})`;"
        " document.body.append(s); const c = getComputedStyle(s).color; s.remove(); return c; }",
        tone,
    )
    assert colour == expected
    box = block.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    uptime = page.locator(".tile[data-kpi='uptime'] .plan-variance").inner_text()
    assert uptime.endswith("pts vs plan")
    watched.assert_clean()


def test_overview_ranks_kpis_by_how_far_off_plan(
    open_page: Callable[..., Watched], plan_url: str
) -> None:
    watched = open_page(plan_url)
    page = watched.page
    watched.goto("/")
    kpis = [k for k in _dashboard(page, plan_url)["kpis"] if k["plan"] and k["plan"]["plan"]]

    def short(k: dict[str, Any]) -> float:
        p = k["plan"]
        gap = p["period"]["gap"] if p["variance_unit"] == "points" else p["period"]["gap_pct"]
        return gap if k["good_direction"] == "down" else -gap

    worst = max(kpis, key=short)
    card = page.locator("#plan-card")
    card.scroll_into_view_if_needed()
    assert "Against plan: Reforecast Q2 FY2026 v1" in card.locator("h2").inner_text()
    first = card.locator("tbody tr").first
    assert first.locator("td").first.inner_text() == worst["label"]
    assert len(card.locator("tbody tr").all()) == len(kpis)
    chart_note = page.locator("#revenue-chart .chart-note").inner_text()
    assert "Dashed: the plan; shaded: the gap between actual and plan." in chart_note
    watched.assert_clean()


def test_drilldown_draws_the_plan_and_lists_months_off_plan(
    open_page: Callable[..., Watched], plan_url: str
) -> None:
    watched = open_page(plan_url, width=390)
    page = watched.page
    watched.goto("/kpi/uptime")
    drill = page.request.get(f"{plan_url}/api/v1/kpis/uptime").json()
    worst = drill["off_plan"][0]
    card = page.locator("#kpi-off-plan")
    card.scroll_into_view_if_needed()
    assert card.is_visible()
    row = card.locator("tbody tr").first.inner_text()
    month = dt.date.fromisoformat(worst["period"] + "-01")
    assert f"{month:%b %Y}" in row
    points = (worst["actual"] - worst["plan"]) * 100
    assert f"{MINUS if points < 0 else '+'}{abs(points):.1f} pts" in row
    assert "Dashed: the plan" in page.locator("#kpi-series .chart-note").inner_text()
    watched.goto("/operations")
    uptime_chart = page.locator(
        "[data-chart='uptime-against-plan'], section:has(h2:text('Uptime against plan'))"
    ).first
    assert "Dashed: the plan" in uptime_chart.inner_text()
    watched.assert_clean()


def test_editor_changes_one_target_on_the_plans_page(
    open_page: Callable[..., Watched], plan_url: str
) -> None:
    watched = open_page(plan_url)
    page = watched.page
    watched.goto("/plans")
    assert page.locator("#plan-grid input").count() == 0  # anonymous: read only
    assert "Reforecast Q2 FY2026, version 1" in page.inner_text("#plan-active-text")
    login(watched, "eddie")
    watched.goto("/plans")
    # Money reads with thousands separators ("2,260,000"), not as a run of digits.
    revenue = page.locator("#plan-grid input[data-kpi='revenue'][data-month='2026-10']")
    assert re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", revenue.input_value()), revenue.input_value()
    cell = page.locator("#plan-grid input[data-kpi='uptime'][data-month='2026-10']")
    cell.fill("98.5")
    with page.expect_response(lambda r: "/targets" in r.url) as answer:
        cell.press("Tab")
    assert answer.value.status == 200
    page.wait_for_selector("#toast:not([hidden])")
    assert "Uptime Oct 2026: target set to 98.5%" in page.inner_text("#toast")
    active = next(p for p in page.request.get(f"{plan_url}/api/v1/plans").json() if p["active"])
    targets = page.request.get(f"{plan_url}/api/v1/plans/{active['id']}").json()["targets"]
    edited = next(t for t in targets if (t["kpi"], t["month"]) == ("uptime", "2026-10"))
    assert edited["target"] == pytest.approx(0.985)
    assert edited["updated_by"] == "eddie"
    template = page.locator("#plan-template").get_attribute("href") or ""
    assert template.startswith("/api/v1/plans/template?")
    watched.assert_clean()


def test_fresh_screenshots_with_the_active_plan(
    open_page: Callable[..., Watched], plan_url: str
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        for width in (1440, 390):
            watched = open_page(plan_url, color_scheme=scheme, width=width)
            for path, name in (
                ("/", "overview"),
                ("/plans", "plans"),
                ("/kpi/revenue", "kpi-revenue"),
            ):
                watched.goto(path)
                watched.page.wait_for_timeout(400)  # charts finish their 250 ms animation
                shot = SCREENSHOTS / f"plan-{name}-{width}-{scheme}.png"
                watched.page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
            watched.assert_clean()
