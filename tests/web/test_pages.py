"""Every page loads in a real browser, light and dark, with no console error or failed request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import PAGES, Watched

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_loads_cleanly_on_the_demo_company(
    open_page: Callable[..., Watched], demo_url: str, scheme: str
) -> None:
    watched = open_page(demo_url, color_scheme=scheme)
    for path in PAGES:
        watched.goto(path)
        assert "execdash" in watched.page.title()
        theme = watched.page.evaluate("document.documentElement.dataset.theme")
        assert theme == scheme, path
    watched.assert_clean()


def test_pages_load_cleanly_on_an_empty_database(
    open_page: Callable[..., Watched], live_url: str
) -> None:
    watched = open_page(live_url)
    for path in PAGES:
        watched.goto(path)
    watched.assert_clean()


def test_empty_database_says_what_data_is_missing(
    open_page: Callable[..., Watched], live_url: str
) -> None:
    watched = open_page(live_url)
    watched.goto("/")
    message = watched.page.inner_text("#revenue-chart .empty")
    assert "revenue_trend has no rows" in message
    watched.goto("/operations")
    assert "ops_uptime" in watched.page.inner_text("#domain-charts")


def test_theme_toggle_switches_and_is_remembered(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, color_scheme="light")
    watched.goto("/")
    page: Any = watched.page
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 20, 27)"
    watched.goto("/sales")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    watched.assert_clean()
