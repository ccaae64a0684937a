"""The "Compare with" control: tiles' change text follows it, the URL keeps it, Back undoes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

MINUS = "\u2212"
SHOTS = Path(__file__).parents[2] / "screenshots"


def _delta(delta: float) -> str:
    """format.js's formatDelta, by hand: +22.4% / −11.7%."""
    text = f"{abs(delta) * 100:.1f}"
    return "0.0%" if float(text) == 0 else f"{MINUS if delta < 0 else '+'}{text}%"


def _revenue(page: Any, base: str, query: str) -> dict[str, Any]:
    body = page.request.get(f"{base}/api/v1/dashboard?{query}").json()
    return next(k for k in body["kpis"] if k["key"] == "revenue")


def _tile_text(page: Any) -> tuple[str, str]:
    """The revenue tile's change and, shown on hover, what it is compared with."""
    tile = "article.tile[data-kpi=revenue]"
    page.hover(tile)
    page.wait_for_selector(f"{tile} .tile-prev", state="visible")
    return page.inner_text(f"{tile} .delta"), page.inner_text(f"{tile} .tile-prev")


def _wait_for_view(watched: Watched, key: str) -> None:
    watched.page.wait_for_selector(f'body[data-loaded="{key}"]:not([aria-busy])', timeout=20000)


def test_switching_to_last_year_changes_the_change_people_read_and_back_undoes_it(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    # With 12 months "previous" and "last year" are the same months: take six.
    watched.goto("/?range=6m&granularity=month")
    assert page.input_value("#ctl-compare") == "previous"
    before = _revenue(page, demo_url, "range=6m&granularity=month")
    delta_before, prev_before = _tile_text(page)
    assert delta_before.endswith(_delta(before["delta"]))
    assert "last year" not in prev_before

    page.select_option("#ctl-compare", "last_year")
    _wait_for_view(watched, "6m|month||last_year")
    after = _revenue(page, demo_url, "range=6m&granularity=month&compare=last_year")
    assert after["previous"] != before["previous"]
    delta_after, prev_after = _tile_text(page)
    assert delta_after.endswith(_delta(after["delta"]))
    assert delta_after != delta_before
    start, end = after["coverage"]["previous_start_month"], after["coverage"]["previous_end_month"]
    assert prev_after.startswith("vs ")
    assert "same period last year" in prev_after
    assert prev_after != prev_before
    assert (start, end) != (
        before["coverage"]["previous_start_month"],
        before["coverage"]["previous_end_month"],
    )
    assert "compare=last_year" in page.url
    drill_link = page.get_attribute("article.tile[data-kpi=revenue] a.tile-label", "href")
    assert drill_link is not None
    assert "compare=last_year" in drill_link

    page.go_back()
    _wait_for_view(watched, "6m|month|")
    assert "compare=" not in page.url
    assert page.input_value("#ctl-compare") == "previous"
    assert _tile_text(page) == (delta_before, prev_before)

    page.go_forward()
    _wait_for_view(watched, "6m|month||last_year")
    assert _tile_text(page)[1] == prev_after
    watched.assert_clean()


def test_a_link_with_last_year_opens_the_drilldown_against_last_year(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/kpi/revenue?range=6m&granularity=quarter&compare=last_year")
    assert page.input_value("#ctl-compare") == "last_year"
    body = page.request.get(
        f"{demo_url}/api/v1/kpis/revenue?range=6m&granularity=quarter&compare=last_year"
    ).json()
    assert "same period last year" in _tile_text(page)[1]
    assert body["kpi"]["coverage"]["compare"] == "last_year"
    watched.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1440, 390])
def test_the_compare_control_is_on_screen_and_usable(
    open_page: Callable[..., Watched], demo_url: str, width: int, scheme: str
) -> None:
    watched = open_page(demo_url, color_scheme=scheme, width=width, height=844)
    page = watched.page
    watched.goto("/?range=12m&granularity=month")
    control = page.locator("#ctl-compare")
    assert control.is_visible()
    box = control.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert box["height"] >= 24  # a finger-sized target
    label = page.locator("label:has(#ctl-compare)").inner_text()
    assert "Compare with" in label
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.select_option("#ctl-compare", "last_year")
    _wait_for_view(watched, "12m|month||last_year")
    assert "same period last year" in _tile_text(page)[1]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"compare-last-year-{width}-{scheme}.png"), full_page=False)
    watched.assert_clean()


def test_compare_with_plan_shows_the_change_against_the_plan_on_a_phone(
    open_page: Callable[..., Watched], demo_url: str, demo_engine: Any
) -> None:
    import datetime as dt

    from execdash.demo.plans import write_plans

    watched = open_page(demo_url, width=390, height=844)
    page = watched.page
    watched.goto("/?range=12m&granularity=month")
    none = page.locator('#ctl-compare option[value="plan"]')
    assert none.is_disabled()
    assert none.inner_text() == "Plan (none active)"
    write_plans(demo_engine, dt.date(2026, 10, 1))
    watched.goto("/?range=ytd&granularity=month")
    assert "Reforecast Q2 FY2026" in page.locator('#ctl-compare option[value="plan"]').inner_text()
    page.select_option("#ctl-compare", "plan")
    _wait_for_view(watched, "ytd|month||plan")
    revenue = _revenue(page, demo_url, "range=ytd&granularity=month&compare=plan")
    assert revenue["previous"] == revenue["plan"]["plan"]  # the plan covers Jan-Oct 2026
    assert revenue["comparable"] is True
    delta, prev = _tile_text(page)
    assert delta.endswith(_delta(revenue["delta"]))
    assert prev.startswith("vs £")
    assert " plan, " in prev
    tile = page.locator("article.tile[data-kpi=revenue] .delta").bounding_box()
    assert tile is not None
    assert tile["x"] + tile["width"] <= 390
    assert "compare=plan" in page.url
    watched.assert_clean()


def test_with_last_year_the_charts_draw_the_same_periods_a_year_earlier(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390, height=844)
    page = watched.page
    watched.goto("/kpi/revenue?range=6m&granularity=month&compare=last_year")
    note = page.locator("#kpi-series .chart-note")
    note.scroll_into_view_if_needed()
    assert note.is_visible()
    assert 'Dashed "same period last year"' in note.inner_text()
    watched.goto("/?range=6m&granularity=month&compare=last_year")
    _wait_for_view(watched, "6m|month||last_year")
    assert (
        'Dashed "same period last year"' in page.locator("#revenue-chart .chart-note").inner_text()
    )
    watched.goto("/?range=6m&granularity=month")
    _wait_for_view(watched, "6m|month|")
    assert "same period last year" not in page.locator("#revenue-chart").inner_text()
    # A domain page draws it too: the first chart's note says so, readable on the phone.
    watched.goto("/finance?range=6m&granularity=month&compare=last_year")
    domain_note = page.locator("#domain-charts .chart-note", has_text="same period last year")
    domain_note.first.scroll_into_view_if_needed()
    assert domain_note.first.is_visible()
    box = domain_note.first.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert domain_note.count() >= 2  # each chart of a series, not one chart only
    watched.goto("/finance?range=6m&granularity=month")
    assert "same period last year" not in page.locator("#domain-charts").inner_text()
    watched.assert_clean()
