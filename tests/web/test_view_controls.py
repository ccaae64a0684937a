"""Range, granularity and as-of controls: numbers follow the API, the URL reproduces the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def _tile_values(page: Any) -> dict[str, float | None]:
    values: dict[str, str] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('article.tile')]
            .map((t) => [t.dataset.kpi, t.dataset.value]))"""
    )
    return {key: float(v) if v != "" else None for key, v in values.items()}


def _api_values(page: Any, base: str, query: str) -> dict[str, float | None]:
    body = page.request.get(f"{base}/api/v1/dashboard?{query}").json()
    return {k["key"]: k["value"] for k in body["kpis"]}


def _wait_for_view(watched: Watched, key: str) -> None:
    watched.page.wait_for_selector(f'body[data-loaded="{key}"]:not([aria-busy])', timeout=15000)


def test_switching_range_and_granularity_shows_the_api_numbers(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/")
    assert _tile_values(page) == _api_values(page, demo_url, "range=12m&granularity=month")
    twelve_month_revenue = page.inner_text("article.tile[data-kpi=revenue] .tile-value")

    page.select_option("#ctl-range", "6m")
    _wait_for_view(watched, "6m|month|")
    page.check("input[name=granularity][value=quarter]", force=True)
    _wait_for_view(watched, "6m|quarter|")

    six_months = _api_values(page, demo_url, "range=6m&granularity=quarter")
    assert _tile_values(page) == six_months
    assert page.inner_text("article.tile[data-kpi=revenue] .tile-value") != twelve_month_revenue
    assert "range=6m" in page.url
    assert "granularity=quarter" in page.url
    quarters = page.request.get(f"{demo_url}/api/v1/dashboard?range=6m&granularity=quarter")
    periods = [p["period"] for p in quarters.json()["revenue_trend"][0]["points"]]
    assert periods == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert "Partial quarter: Q2 2026 (2 of 3 months), Q4 2026 (1 of 3 months)" in page.inner_text(
        "#revenue-chart .chart-note"
    )
    watched.assert_clean()


def test_the_url_reproduces_the_view_after_reload_and_in_a_new_tab(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/?range=24m&granularity=quarter&as_of=2026-03")
    expected = _api_values(page, demo_url, "range=24m&granularity=quarter&as_of=2026-03")
    assert _tile_values(page) == expected
    assert page.input_value("#ctl-range") == "24m"
    assert page.input_value("#ctl-as-of") == "2026-03"
    assert page.is_checked("input[name=granularity][value=quarter]")
    assert "Apr 2024 – Mar 2026" in page.inner_text("#window-label")

    page.reload()
    watched.wait_loaded()
    assert _tile_values(page) == expected

    # A visit without a query restores the remembered view and writes it into the URL.
    watched.goto("/")
    assert _tile_values(page) == expected
    assert "as_of=2026-03" in page.url
    watched.assert_clean()


def test_nav_links_carry_the_view_to_other_pages(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/?range=3m&granularity=month")
    with page.expect_navigation():
        page.click("nav.site-nav a[href^='/finance']")
    watched.wait_loaded()
    assert "range=3m" in page.url
    body = page.request.get(f"{demo_url}/api/v1/finance?range=3m&granularity=month").json()
    expected = {k["key"]: k["value"] for k in body["kpis"]}
    assert _tile_values(page) == expected
    watched.assert_clean()
