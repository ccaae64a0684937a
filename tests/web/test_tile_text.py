"""Every tile's text as a person reads it: value, change, arrow and colour, also on a phone.

The expected text is worked out here from the API's value and previous value with the page's
rules written out again (compact money, one-decimal percentages, points for ratios, which
direction is good news), so a tile that shows the wrong window, reverses its arrow or hides its
value on a phone fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

MINUS = "\u2212"
POINTS = {"uptime", "nrr", "gm"}
"""Ratios whose change is shown in percentage points."""
MULTIPLES = {"book_to_bill"}
"""Ratios shown as a multiple (1.09×), whose change is a difference of multiples."""
OVERVIEW = ":is(#headline-tiles, #highlight-tiles)"
"""The overview's two rows of tiles: six headline KPIs and four highlights."""
DOWN_IS_GOOD = {"payback"}
"""KPIs where a fall is good news (metrics.md: a shorter CAC payback is better)."""


def _sign(value: float) -> str:
    return MINUS if value < 0 else ""


def _money(value: float) -> str:
    magnitude = abs(value)
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= scale * 0.9995:
            scaled = magnitude / scale
            return f"{_sign(value)}£{scaled:.{0 if scaled >= 99.95 else 1}f}{suffix}"
    return f"{_sign(value)}£{magnitude:.0f}"


def expected_value(key: str, unit: str, value: float) -> str:
    """The tile's value as the page must show it."""
    if unit == "currency":
        return _money(value)
    if key in MULTIPLES:
        return f"{_sign(value)}{abs(value):.2f}×"
    if unit == "ratio":
        return f"{_sign(value)}{abs(value) * 100:.1f}%"
    if unit == "months":
        return f"{_sign(value)}{abs(value):.1f} mo"
    raise AssertionError(f"no expectation written for unit {unit!r} of {key}")


def expected_change(key: str, value: float, previous: float) -> tuple[str, str]:
    """(arrow and change text, good/bad class) from the two values alone."""
    moved = value - previous
    arrow = "▲" if moved > 0 else "▼"
    if key in MULTIPLES:
        text = f"{MINUS if moved < 0 else '+'}{abs(moved):.2f}×"
    elif key in POINTS:
        text = f"{MINUS if moved < 0 else '+'}{abs(moved) * 100:.1f} pts"
    else:
        text = f"{MINUS if moved < 0 else '+'}{abs(moved / previous) * 100:.1f}%"
    if not any(ch in "123456789" for ch in text):  # rounds to nothing at the digits shown
        return f"▶ {text.lstrip('+' + MINUS)}", "neutral"
    good = (moved < 0) if key in DOWN_IS_GOOD else (moved > 0)
    return f"{arrow} {text}", "good" if good else "bad"


def _tiles(page: Any, base: str, path: str) -> list[dict[str, Any]]:
    kpis: list[dict[str, Any]] = page.request.get(f"{base}{path}").json()["kpis"]
    return kpis


def _assert_tiles_read_right(page: Any, tiles: list[dict[str, Any]], scope: str) -> None:
    for kpi in tiles:
        key, value, previous = kpi["key"], kpi["value"], kpi["previous"]
        tile = page.locator(f"{scope} article.tile[data-kpi={key}]")
        assert value is not None
        assert previous, f"{key}: the demo window should have a previous value"
        shown = tile.locator(".tile-value").inner_text()
        assert shown == expected_value(key, kpi["unit"], value), key
        change, tone = expected_change(key, value, previous)
        delta = tile.locator(".delta")
        assert delta.inner_text() == change, key
        classes = (delta.get_attribute("class") or "").split()
        assert tone in classes, (key, classes)
        assert ({"good", "bad"} - {tone}).isdisjoint(classes), (key, classes)


def test_every_overview_tile_reads_its_value_change_arrow_and_colour(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto("/?range=12m&granularity=month")
    tiles = _tiles(watched.page, demo_url, "/api/v1/dashboard?range=12m&granularity=month")
    assert len(tiles) == 10
    _assert_tiles_read_right(watched.page, tiles, OVERVIEW)
    watched.assert_clean()


def test_every_finance_tile_reads_its_value_change_arrow_and_colour(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto("/finance?range=6m&granularity=quarter")
    tiles = _tiles(watched.page, demo_url, "/api/v1/finance?range=6m&granularity=quarter")
    assert {t["key"] for t in tiles} >= {"revenue", "gm", "payback"}
    _assert_tiles_read_right(watched.page, tiles, "#domain-tiles")
    watched.assert_clean()


def test_every_tile_value_and_change_is_visible_inside_a_phone_viewport(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390)
    page = watched.page
    watched.goto("/?range=12m&granularity=month")
    tiles = _tiles(page, demo_url, "/api/v1/dashboard?range=12m&granularity=month")
    for kpi in tiles:
        for part in (".tile-value", ".delta"):
            element = page.locator(f"{OVERVIEW} article.tile[data-kpi={kpi['key']}] {part}")
            element.scroll_into_view_if_needed()
            assert element.is_visible(), (kpi["key"], part)
            box = element.bounding_box()
            assert box is not None
            assert box["width"] > 0
            assert box["height"] > 0
            assert box["x"] >= 0, (kpi["key"], part, box)
            assert box["x"] + box["width"] <= 390, (kpi["key"], part, box)
        text = page.locator(f"{OVERVIEW} article.tile[data-kpi={kpi['key']}] .tile-value")
        assert text.inner_text() == expected_value(kpi["key"], kpi["unit"], kpi["value"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    watched.assert_clean()


def test_a_change_that_rounds_to_nothing_reads_flat_and_grey(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    flat = 0
    for path in ("/operations", "/marketing"):
        view = f"{path}?range=12m&granularity=month"
        watched.goto(view)
        for kpi in _tiles(page, demo_url, f"/api/v1{view}"):
            if kpi["change_unit"] != "points" or kpi["change"] is None:
                continue
            if abs(kpi["change"]) >= 0.0005:  # shows at least 0.1 pts
                continue
            flat += 1
            delta = page.locator(f"#domain-tiles article.tile[data-kpi={kpi['key']}] .delta")
            # Not "▲ 0.0 pts" in red: no arrow, no colour, and "unchanged" on paper.
            assert delta.inner_text() == "▶ 0.0 pts", kpi["key"]
            classes = (delta.get_attribute("class") or "").split()
            assert "neutral" in classes, classes
            assert not {"good", "bad"} & set(classes), classes
            colour = delta.evaluate("el => getComputedStyle(el).color")
            tones = page.evaluate(
                """() => ["--good", "--bad"].map((name) => {
                  const probe = document.createElement("span");
                  probe.style.color = `var(${name})`;
                  document.body.append(probe);
                  const rgb = getComputedStyle(probe).color;
                  probe.remove();
                  return rgb;
                })"""
            )
            assert colour not in tones, (kpi["key"], colour)
            assert delta.locator(".delta-word").text_content() == " unchanged"
    # The demo's warranty claims and visit-to-lead conversion move by less than 0.05 pts.
    assert flat >= 2
    watched.assert_clean()
