"""The header's search box: what a person types, sees, chooses with the keyboard, and lands on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def _options(page: Any) -> list[str]:
    page.wait_for_selector("#search-popup:not([hidden])", timeout=10000)
    return [t.strip() for t in page.locator("#search-results [role=option] .search-title")
            .all_inner_texts()]  # fmt: skip


def _visible_inside_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


def test_typing_shows_ranked_results_and_the_keyboard_opens_one(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/finance?range=6m&granularity=quarter")
    box = page.get_by_role("combobox", name="Search pages, KPIs, customers, alerts and risks")
    box.fill("gross marg")
    titles = _options(page)
    assert titles[0] == "Gross margin"
    first = page.locator("#search-option-0")
    assert "KPI" in first.inner_text()
    assert "Gross profit over order amount" in first.inner_text()
    assert box.get_attribute("aria-expanded") == "true"

    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "search-option-0"
    assert first.get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        box.press("Enter")
    watched.wait_loaded()
    assert page.url.startswith(f"{demo_url}/kpi/gm?")
    assert "range=6m" in page.url  # the reporting window is kept
    assert "granularity=quarter" in page.url
    watched.assert_clean()


def test_customers_are_found_by_name_and_escape_closes_the_list(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/")
    name = page.request.get(f"{demo_url}/api/v1/customers?sort=name&limit=1").json()["items"][0]
    box = page.locator("#search-input")
    box.fill(name["name"][:4])
    titles = _options(page)
    assert name["name"] in titles
    assert all(t.lower().startswith(name["name"][:4].lower()) for t in titles)
    assert page.locator("#search-results .search-kind").first.inner_text() == "Customer"
    box.press("ArrowUp")  # wraps to the last result
    assert box.get_attribute("aria-activedescendant") == f"search-option-{len(titles) - 1}"
    box.press("Escape")
    assert page.locator("#search-popup").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    box.fill("zzzz nothing matches")
    page.wait_for_selector("#search-message:not([hidden])")
    assert page.inner_text("#search-message") == "No results for “zzzz nothing matches”."
    assert page.inner_text("#search-status") == "No results for “zzzz nothing matches”."
    watched.assert_clean()


def test_the_box_works_on_a_390px_phone(open_page: Callable[..., Watched], demo_url: str) -> None:
    watched = open_page(demo_url, width=390, height=844)
    page = watched.page
    watched.goto("/")
    assert page.locator("#search-input").is_visible()
    assert _visible_inside_viewport(page, "#search-input")
    page.keyboard.press("/")  # the shortcut focuses the box
    page.keyboard.type("uptime")
    assert _options(page)[0] == "Uptime"
    assert _visible_inside_viewport(page, "#search-popup")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#search-option-0").click()
    page.wait_for_url(f"{demo_url}/kpi/uptime?**")
    watched.wait_loaded()
    watched.assert_clean()
