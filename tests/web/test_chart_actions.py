"""What a reader does with numbers: drill from any part of a tile or chart, go Back, download."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


INKED = """async ([data, band]) => {
  const image = new Image();
  image.src = `data:image/png;base64,${data}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = Math.round(band);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 384) inked += 1;
  }
  return inked;
}"""
"""How many dark pixels the heading band above the chart holds (the title and caption text)."""


def _download(watched: Watched, selector: str) -> tuple[str, bytes]:
    with watched.page.expect_download() as info:
        watched.page.click(selector)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _click_on(watched: Watched, selector: str) -> None:
    """Click where a person would: the middle of what `selector` draws, whatever lies on top."""
    box = watched.page.locator(selector).bounding_box()
    assert box is not None
    watched.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_tile_value_and_sparkline_drill_down_on_click(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/")
    with page.expect_navigation():
        _click_on(watched, "#headline-tiles .tile[data-kpi=gm] .tile-value")
    watched.wait_loaded()
    assert "/kpi/gm" in page.url
    assert page.inner_text("#kpi-title") == "Gross margin"
    watched.goto("/operations")
    with page.expect_navigation():
        _click_on(watched, ".tile[data-kpi=mttr] .sparkline")
    watched.wait_loaded()
    assert "/kpi/mttr" in page.url
    assert "domain=operations" in page.url
    watched.assert_clean()


def test_a_sales_tile_drill_down_leads_back_to_sales(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/sales")
    page.focus(".tile[data-kpi=win_rate] a.tile-label")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watched.wait_loaded()
    crumb = page.locator(".breadcrumb a")
    assert crumb.inner_text() == "Sales"
    assert crumb.is_visible()
    with page.expect_navigation():
        crumb.click()
    watched.wait_loaded()
    assert page.url.split("?")[0].endswith("/sales")
    watched.assert_clean()


def test_chart_bars_drill_down_on_click_and_the_chart_on_enter(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/operations")
    card = "[data-chart='mtbf']"
    page.locator(card).scroll_into_view_if_needed()
    where = page.evaluate(
        """async (card) => {
          const href = document.querySelector('link[rel=modulepreload][href*="echarts"]').href;
          const echarts = await import(href);
          const box = document.querySelector(card + " .chart-box");
          const chart = echarts.getInstanceByDom(box);
          const data = chart.getOption().series[0].data;
          const value = typeof data[0] === "number" ? data[0] : data[0].value;
          const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [0, value / 2]);
          const rect = box.getBoundingClientRect();
          return { x: rect.left + x, y: rect.top + y };
        }""",
        card,
    )
    with page.expect_navigation():
        page.mouse.click(where["x"], where["y"])
    watched.wait_loaded()
    assert "/kpi/mtbf" in page.url
    watched.goto("/")
    page.focus("#revenue-chart .chart-link")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "link"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watched.wait_loaded()
    assert "/kpi/revenue" in page.url
    watched.assert_clean()


def test_a_range_change_is_a_history_entry_back_undoes_it(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/finance?range=12m&granularity=month")
    twelve = page.inner_text("#window-label")
    page.select_option("#ctl-range", "3m")
    page.wait_for_selector("body[data-loaded^='3m|']:not([aria-busy])")
    three = page.inner_text("#window-label")
    assert three != twelve
    page.go_back()
    page.wait_for_selector("body[data-loaded^='12m|']:not([aria-busy])")
    assert "range=12m" in page.url
    assert page.inner_text("#window-label") == twelve
    assert page.input_value("#ctl-range") == "12m"
    page.go_forward()
    page.wait_for_selector("body[data-loaded^='3m|']:not([aria-busy])")
    assert page.inner_text("#window-label") == three
    watched.assert_clean()


def test_domain_pages_say_when_data_were_last_updated(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    for path in ("/sales", "/operations"):
        watched.goto(path)
        stamp = page.locator("#data-updated")
        assert stamp.inner_text().startswith("Data last updated ")
        stamp.scroll_into_view_if_needed()
        assert stamp.is_visible()
    api = page.request.get(f"{demo_url}/api/v1/sales").json()
    assert api["last_data_update"]
    watched.assert_clean()


def test_alerts_page_hides_filters_that_filter_nothing(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/alerts")
    # The reporting window does not apply to alerts and risks: no range, granularity or as-of.
    assert page.locator("#ctl-range, input[name=granularity], #ctl-as-of").count() == 0
    assert page.get_by_label("Range").count() == 0
    alerts = page.request.get(f"{demo_url}/api/v1/alerts?page_size=200").json()["items"]
    statuses = {a["status"] for a in alerts}
    status = page.locator("#alert-filters select[name=status]")
    # Every demo alert is open: a status filter could only show the same list or nothing.
    assert statuses == {"open"}
    assert not status.is_visible()
    severity = page.locator("#alert-filters select[name=severity]")
    assert severity.is_visible()
    offered = severity.locator("option").all_inner_texts()
    assert offered[0] == "Any"
    assert sorted(offered[1:]) == sorted({a["severity"].capitalize() for a in alerts})
    assert page.locator("#alerts-table tbody tr").count() == len(alerts)
    watched.assert_clean()


def test_downloads_name_their_window_and_carry_no_float_noise(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto("/?range=12m&granularity=month")
    name, _body = _download(watched, "#revenue-chart button[aria-label$='as CSV']")
    assert name == "revenue-trend-12m-month-2026-10.csv"

    watched.goto("/kpi/revenue?range=12m&granularity=month&by=industry")
    name, body = _download(watched, "#kpi-table button[aria-label$='as CSV']")
    assert name == "revenue-by-industry-table-12m-month-2026-10.csv"
    values = [r[1] for r in list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:]]
    assert values
    assert all(len(v.split(".")[-1]) <= 2 for v in values if "." in v), values

    watched.goto("/operations?range=6m&granularity=quarter")
    card = "[data-chart='uptime-against-plan']"
    name, png = _download(watched, f"{card} button[aria-label$='as PNG']")
    assert name == "uptime-against-plan-6m-quarter-2026-10.png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    box = watched.page.locator(f"{card} .chart-box").bounding_box()
    assert box is not None
    # Twice the chart's pixels plus a heading band with the title, window and data date.
    assert abs(width - box["width"] * 2) <= 2
    assert height >= round(box["height"] * 2) + 60
    inked = watched.page.evaluate(
        INKED, [base64.b64encode(png).decode(), height - box["height"] * 2]
    )
    assert inked > 500, "the heading band holds no text"
    watched.assert_clean()
