"""What a person reads about why numbers moved: waterfall, popover drivers, MRR bridge, summary."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

VIEW = "range=12m&granularity=month&as_of=2026-10"


def test_the_drilldown_shows_a_waterfall_from_previous_to_current(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto(f"/kpi/revenue?{VIEW}&by=industry")
    section = page.locator("#kpi-drivers")
    assert section.locator("h2").first.inner_text() == "What drove this"
    assert section.locator(".driver-lead").inner_text() == (
        "Revenue went from £6.4M (Nov 2024 – Oct 2025) to £9.0M: +£2.6M, split by industry."
    )
    chart = section.locator("[data-chart=revenue-waterfall-by-industry]")
    assert chart.locator("h2").inner_text() == "Revenue: previous → current by industry"
    assert chart.locator("canvas").count() >= 1
    rows = section.locator(".driver-table tbody tr")
    assert rows.first.locator("td").first.inner_text() == "Food & Beverage"
    assert rows.first.locator("td").last.inner_text() == "+£676K"
    facts = section.locator(".driver-facts").inner_text()
    assert "Top movers up: Food & Beverage +£676K" in facts
    assert "Concentration of revenue (recognized orders): largest industry " in facts
    page.select_option("#breakdown-by", "customer")
    watched.wait_loaded()
    lead = section.locator(".driver-lead")
    lead.filter(has_text="split by customer").wait_for()
    assert "new customers" in section.locator(".driver-facts").inner_text()
    watched.assert_clean()


def test_a_kpi_without_slices_still_explains_its_change(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390)
    page = watched.page
    watched.goto(f"/kpi/backlog?{VIEW}")
    section = page.locator("#kpi-drivers")
    section.scroll_into_view_if_needed()
    assert section.is_visible()
    assert section.locator(".driver-lead").inner_text().startswith("Backlog went from £3.5M")
    box = section.locator(".chart-box").bounding_box()
    assert box is not None
    assert box["width"] <= 390
    watched.assert_clean()


def test_a_tile_popover_names_its_top_two_drivers(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390)
    page = watched.page
    watched.goto(f"/?{VIEW}")
    tile = page.locator("article.tile[data-kpi=revenue]")
    tile.locator("details.how summary").click()
    drivers = tile.locator(".how-drivers")
    drivers.locator("ol").wait_for()
    assert drivers.locator(".how-drivers-title").inner_text() == (
        "Top drivers by industry (change +£2.6M):"
    )
    assert drivers.locator("li").all_inner_texts() == [
        "Food & Beverage +£676K",
        "Logistics +£399K",
    ]
    amounts = drivers.locator("li .amount")
    assert amounts.all_inner_texts() == ["+£676K", "+£399K"]
    for amount in amounts.all():  # one piece on one line: never "+" here and "£676K" below
        assert amount.evaluate("e => e.getClientRects().length") == 1
    assert drivers.is_visible()
    watched.assert_clean()


def test_the_overview_summary_links_every_figure_to_its_drilldown(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto(f"/?{VIEW}")
    first = page.locator("#summary-card .summary-list li").first
    assert first.inner_text() == (
        "Revenue rose 40.3% to £9.0M; Food & Beverage (industry) added £676K of the £2.6M increase."
    )
    with page.expect_navigation():
        first.locator("a", has_text="£676K").click()
    watched.wait_loaded()
    assert "by=industry" in page.url
    assert page.url.endswith("#kpi-drivers")
    assert page.locator("#breakdown-by").input_value() == "industry"
    assert (
        page.locator("#kpi-drivers .driver-table tbody tr")
        .first.inner_text()
        .startswith("Food & Beverage")
    )
    watched.assert_clean()


def test_the_retention_page_bridges_opening_to_closing_mrr(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, color_scheme="dark")
    page = watched.page
    watched.goto(f"/retention?{VIEW}")
    card = page.locator("#mrr-movements")
    assert card.locator("[data-chart=mrr-movements] h2").inner_text() == "MRR movements per month"
    assert (
        card.locator("[data-chart=mrr-bridge] h2").inner_text() == "MRR bridge Oct 2025 → Oct 2026"
    )
    rows = {
        r.locator("td").first.inner_text(): r.locator("td").nth(1).inner_text()
        for r in card.locator("[data-table=mrr-bridge-table] tbody tr").all()
    }
    assert rows["Opening MRR (Oct 2025)"] == "£193,017"
    assert rows["New"] == "+£65.6K"
    assert rows["Churn"] == "−£21.5K"
    assert rows["Closing MRR (Oct 2026)"] == "£274,933"
    assert rows["ARR (12 × closing MRR)"] == "£3,299,196"
    check = card.locator("[data-table=retention-cross-check] tbody tr").last
    assert check.locator("td").first.inner_text() == "Oct 2026"
    watched.assert_clean()


def test_driver_names_read_as_words_with_what_other_counts(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto(f"/kpi/revenue?{VIEW}&by=customer")
    main = watched.page.inner_text("#kpi-drivers")
    assert re.search(r"Other \([\d,]+ customers\)", main), main
    assert "slices)" not in main
    assert "other (" not in main
    assert "'unattributed'" not in main
    watched.assert_clean()


def test_against_the_plan_a_kpi_without_slices_does_not_walk_from_the_plan_as_a_period(
    open_page: Callable[..., Watched], planned_demo_url: str
) -> None:
    watched = open_page(planned_demo_url)
    watched.goto("/kpi/backlog?range=ytd&granularity=month&as_of=2026-10&compare=plan")
    section = watched.page.locator("#kpi-drivers")
    text = section.inner_text()
    # it once read "Backlog went from £4.5M (Jan 2026 – Oct 2026) to £4.3M": the plan's value,
    # labelled as a previous period that is the window itself
    assert "went from" not in text
    assert "compare with the previous period or the same period last year" in text
    assert section.locator("canvas").count() == 0
    watched.assert_clean()  # nor does the series chart ask the bands route for compare=plan (422)


def test_an_open_tile_popover_is_not_covered_by_the_previous_value_tooltip(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto(f"/?{VIEW}")
    tile = page.locator("article.tile[data-kpi=gm]")
    tile.locator("details.how summary").click()
    tile.locator(".how-drivers ol").wait_for()
    body = tile.locator(".how-body")
    body.hover()  # the pointer stays on the tile, as a person's does after opening it
    box = body.bounding_box()
    assert box is not None
    for dy in (6, 14, 24):
        covered = page.evaluate(
            "([x, y]) => !document.elementFromPoint(x, y)?.closest('.how-body')",
            [box["x"] + 30, box["y"] + dy],
        )
        assert not covered, f"the popover's first line is covered {dy}px below its top"
    assert tile.locator(".tile-prev").is_hidden()
