"""What a person reads on a tile: the change in pts or %, the previous value on hover or focus,
how complete the window is, and the banner when the as-of month is past the data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

MINUS = "\u2212"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _kpis(page: Any, base: str, query: str, path: str = "/api/v1/dashboard") -> dict[str, Any]:
    body = page.request.get(f"{base}{path}?{query}").json()
    return {k["key"]: k for k in body["kpis"]}


def _month(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def _signed(value: float, text: str) -> str:
    return f"{MINUS if value < 0 else '+'}{text}"


def test_ratios_change_in_points_and_money_in_percent(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/?range=12m&granularity=month")
    kpis = _kpis(page, demo_url, "range=12m&granularity=month")
    for key in ("gm", "uptime", "nrr"):
        change = kpis[key]["change"]
        expected = _signed(change, f"{abs(change) * 100:.1f} pts")
        text = page.inner_text(f"article.tile[data-kpi={key}] .delta")
        assert text.endswith(expected), (key, text, expected)
        assert "%" not in text
    revenue = kpis["revenue"]
    text = page.inner_text("article.tile[data-kpi=revenue] .delta")
    assert text.endswith(_signed(revenue["delta"], f"{abs(revenue['delta']) * 100:.1f}%"))
    assert page.is_visible("article.tile[data-kpi=revenue] .delta.good, "
                           "article.tile[data-kpi=revenue] .delta.bad")  # fmt: skip
    watched.assert_clean()


def test_the_previous_value_shows_on_hover_and_on_keyboard_focus(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/?range=12m&granularity=month")
    gm = _kpis(page, demo_url, "range=12m&granularity=month")["gm"]
    cover = gm["coverage"]
    expected = (
        f"vs {gm['previous'] * 100:.1f}% "
        f"{_month(cover['previous_start_month'])} – {_month(cover['previous_end_month'])}"
    )
    prev = page.locator("article.tile[data-kpi=gm] .tile-prev")
    assert prev.text_content() == expected
    assert not prev.is_visible()
    page.hover("article.tile[data-kpi=gm]")
    assert prev.is_visible()
    page.mouse.move(0, 0)
    assert not prev.is_visible()
    page.focus("a.tile-label[data-kpi=gm]")
    assert prev.is_visible()
    assert prev.inner_text() == expected
    watched.assert_clean()


def test_an_as_of_past_the_data_says_where_they_end_and_withholds_changes(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390)
    page = watched.page
    watched.goto("/?range=12m&granularity=month&as_of=2027-03")
    banner = page.locator("#data-banner")
    assert banner.is_visible()
    assert banner.inner_text().startswith("The data end in Oct 2026")
    tile = "article.tile[data-kpi=revenue]"
    assert page.inner_text(f"{tile} .tile-coverage") == "7 of 12 months"
    assert page.is_visible(f"{tile} .tile-coverage")
    delta = page.locator(f"{tile} .delta")
    assert delta.inner_text() == "change withheld"
    assert "▼" not in page.inner_text(tile)
    assert "bad" not in (delta.get_attribute("class") or "")
    # Backlog is a stock with no row for Mar 2027 but one for Mar 2026: no value, and its
    # change is withheld like the others, never "no previous" when there is one.
    backlog = "article.tile[data-kpi=backlog]"
    assert page.inner_text(f"{backlog} .tile-value") == "—"
    assert page.inner_text(f"{backlog} .delta") == "change withheld"
    assert "no previous" not in page.inner_text(backlog)
    box = page.locator(f"{tile} .tile-coverage").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    watched.goto("/?range=12m&granularity=month")
    assert not page.is_visible("#data-banner")
    assert page.locator(f"{tile} .tile-coverage").count() == 0
    watched.assert_clean()


def test_the_as_of_field_always_shows_the_month_in_use_within_the_data(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/?range=12m&granularity=month")
    field = page.locator("#ctl-as-of")
    assert field.input_value() == "2026-10"
    assert (field.get_attribute("min"), field.get_attribute("max")) == ("2023-11", "2026-10")
    page.select_option("#ctl-range", "6m")
    page.wait_for_selector('body[data-loaded="6m|month|"]:not([aria-busy])', timeout=15000)
    assert "as_of" not in page.url  # the shown latest month still means "latest"
    assert field.input_value() == "2026-10"
    watched.goto("/?range=12m&granularity=month&as_of=2025-06")
    assert field.input_value() == "2025-06"
    assert page.inner_text("#window-label").startswith("Jul 2024 – Jun 2025")
    watched.assert_clean()


def test_the_nrr_popover_shows_the_retention_identity_with_its_numbers(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/retention?range=12m&granularity=month")
    tiles = _kpis(page, demo_url, "range=12m&granularity=month", "/api/v1/retention")
    inputs = {i["name"]: i["value"] for i in tiles["nrr"]["provenance"]["inputs"]}
    page.click("article.tile[data-kpi=nrr] summary")
    body = page.inner_text("article.tile[data-kpi=nrr] .how-body")
    assert "1 − churn + expansion" in body
    assert f"{inputs['nrr'] * 100:.1f}%" in body
    assert f"{inputs['1 − churn + expansion'] * 100:.1f}%" in body
    assert (
        page.inner_text("article.tile[data-kpi=nrr] .tile-sub") == "trailing 12 months to Oct 2026"
    )
    churn = page.inner_text("article.tile[data-kpi=gross_churn] .tile-sub")
    assert churn == "mean over the window of monthly trailing-12-month rates"
    watched.assert_clean()


def test_the_nrr_popover_is_readable_on_a_phone_with_every_rate_in_percent(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    """At 390 px the popover is as narrow as its tile: each value still reads on one or two
    lines (it was squeezed to one character a line), and expansion reads as a percentage like
    churn, so the identity reads 106.8% = 1 − 10.4% + 17.3%."""
    watched = open_page(demo_url, width=390)
    page = watched.page
    watched.goto("/retention?range=12m&granularity=month")
    tiles = _kpis(page, demo_url, "range=12m&granularity=month", "/api/v1/retention")
    inputs = {i["name"]: i["value"] for i in tiles["nrr"]["provenance"]["inputs"]}
    page.click("article.tile[data-kpi=nrr] summary")
    body = page.locator("article.tile[data-kpi=nrr] .how-body")
    assert body.is_visible()
    expansion = inputs["expansion (same month, trailing 12 months)"]
    assert f"{expansion * 100:.1f}%" in body.inner_text()
    line = float(
        body.evaluate(
            "el => { const s = getComputedStyle(el); const l = parseFloat(s.lineHeight);"
            " return Number.isNaN(l) ? 1.3 * parseFloat(s.fontSize) : l; }"
        )
    )
    for dd in body.locator("dd").all():
        box = dd.bounding_box()
        assert box is not None
        assert box["height"] <= 2.5 * line, (dd.inner_text(), box)
        assert box["x"] + box["width"] <= 390
    watched.assert_clean()
