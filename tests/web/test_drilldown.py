"""Every KPI tile leads to its drill-down within two clicks of the overview."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

EXECUTIVE = ["revenue", "backlog", "uptime", "nrr", "gm", "payback",
             "book_to_bill", "coverage_months", "arr", "forecast"]  # fmt: skip
DOMAINS = ["finance", "sales", "retention", "operations", "supply", "telemetry", "products",
           "marketing"]  # fmt: skip


def test_each_overview_tile_opens_its_drilldown_in_one_click(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    for key in EXECUTIVE:
        watched.goto("/?range=12m&granularity=month")
        value = page.get_attribute(f"article.tile[data-kpi={key}]", "data-value")
        label = page.inner_text(f"a.tile-label[data-kpi={key}]")
        with page.expect_navigation():
            page.click(f"a.tile-label[data-kpi={key}]")
        watched.wait_loaded()
        assert page.url.split("?")[0].endswith(f"/kpi/{key}")
        assert page.inner_text("#kpi-title") == label
        assert page.get_attribute("#kpi-tile article.tile", "data-value") == value
        assert page.locator("#kpi-series").inner_text() != ""
    watched.assert_clean()


def test_each_domain_tile_is_two_clicks_from_the_overview(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    visited = 0
    for domain in DOMAINS:
        watched.goto("/")
        with page.expect_navigation():
            page.click(f"nav.site-nav a[href^='/{domain}']")  # click 1
        watched.wait_loaded()
        keys = page.eval_on_selector_all(
            "#domain-tiles a.tile-label", "els => els.map(e => e.dataset.kpi)"
        )
        assert keys, domain
        for key in keys:
            watched.goto(f"/{domain}")
            value = page.get_attribute(f"#domain-tiles article.tile[data-kpi={key}]", "data-value")
            with page.expect_navigation():
                page.click(f"#domain-tiles a.tile-label[data-kpi={key}]")  # click 2
            watched.wait_loaded()
            assert f"/kpi/{key}" in page.url
            assert page.get_attribute("#kpi-tile article.tile", "data-value") == value
            visited += 1
    assert visited >= 30
    watched.assert_clean()


def test_breakdown_dimension_switcher_shows_the_api_breakdown(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/kpi/revenue?range=12m&granularity=month")
    assert page.eval_on_selector_all("#breakdown-by option", "els => els.map(e => e.value)") == [
        "customer", "industry", "source", "product"
    ]  # fmt: skip
    page.select_option("#breakdown-by", "industry")
    page.wait_for_selector("#kpi-table[data-table='revenue-by-industry-table']")
    assert "by=industry" in page.url
    api = page.request.get(
        f"{demo_url}/api/v1/kpis/revenue?range=12m&granularity=month&by=industry"
    )
    names = [item["name"] for item in api.json()["breakdown"]["items"]]
    shown = page.eval_on_selector_all(
        "#kpi-table tbody tr td:first-child", "els => els.map(e => e.textContent)"
    )
    assert shown == [*names, "Total (the tile)"]
    watched.assert_clean()


def test_the_breakdown_says_what_it_is_over_and_its_total_row_is_the_tile(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/kpi/revenue?range=12m&granularity=month&by=industry")
    api = page.request.get(f"{demo_url}/api/v1/kpis/revenue?range=12m&by=industry").json()
    split = api["breakdown"]
    assert page.inner_text("#breakdown-over") == (
        f"Over {split['over']}. The slices add up to the tile."
    )
    assert split["over"].startswith("recognized orders, ")
    last = page.locator("#kpi-table tbody tr").last.inner_text()
    assert last.startswith("Total (the tile)")
    assert f"£{round(api['kpi']['value']):,}" in last
    assert "Revenue by industry" in page.inner_text("#kpi-breakdown")
    watched.assert_clean()


def test_the_forecast_page_shows_the_band_method_and_pipeline_estimate(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390)
    page = watched.page
    watched.goto("/kpi/forecast?range=12m&granularity=month")
    forecast = page.request.get(f"{demo_url}/api/v1/kpis/forecast").json()["kpi"]["forecast"]
    method = page.inner_text("#forecast-method")
    assert "Damped-trend exponential smoothing (Holt)" in method
    assert f"£{round(forecast['lower']):,} – £{round(forecast['upper']):,}" in method
    assert f"α = {forecast['alpha']}, β = {forecast['beta']}, φ = {forecast['phi']}" in method
    assert "Nov 2026" in method
    estimate = page.inner_text("#pipeline-estimate")
    assert f"£{round(forecast['pipeline_estimate']):,}" in estimate
    assert page.inner_text("#kpi-forecast h2") == "Revenue forecast for Nov 2026"
    assert "The shaded band is the 80% interval" in page.inner_text("#kpi-forecast .chart-note")
    assert page.is_visible("#kpi-forecast .chart-box")
    watched.assert_clean()


def test_the_demo_revenue_by_product_adds_up_to_the_tile_with_nothing_unattributed(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    """The demo's daily product revenue adds up to recognized revenue to the penny, so the split
    by product says it adds up, with no Unattributed row (it once read "£0 unattributed")."""
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/kpi/revenue?range=12m&granularity=month&by=product")
    api = page.request.get(
        f"{demo_url}/api/v1/kpis/revenue?range=12m&granularity=month&by=product"
    ).json()
    split = api["breakdown"]
    assert split["reconciles"] is True
    assert page.inner_text("#breakdown-over") == (
        f"Over {split['over']}. The slices add up to the tile."
    )
    assert split["over"].startswith("daily product revenue, ")
    assert page.locator("#kpi-table tbody tr", has_text="Unattributed").count() == 0
    last = page.locator("#kpi-table tbody tr").last.inner_text()
    assert f"£{round(api['kpi']['value']):,}" in last
    watched.assert_clean()
