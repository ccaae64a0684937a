"""What a person sees on a 390 px phone: every table number on screen with its column's name,
the editor's buttons, the current page's tab, and no sideways scrolling; desktop tables unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import PAGES, Watched, login

pytestmark = pytest.mark.browser

PHONE = 390

TABLE_CELLS = """() => [...document.querySelectorAll("table tbody td")]
  .filter((td) => td.offsetParent !== null)
  .map((td) => {
    const box = td.getBoundingClientRect();
    const cell = td.querySelector(".cell") || td;
    const value = cell.getBoundingClientRect();
    const label = getComputedStyle(td, "::before").content;
    return {
      table: td.closest("[data-table]")?.dataset.table || "?",
      column: td.dataset.label ?? null,
      text: td.innerText.trim(),
      label: label === "none" || label === "normal" ? "" : label.replace(/^"|"$/g, ""),
      num: td.classList.contains("num"),
      left: Math.min(box.left, value.left), right: Math.max(box.right, value.right),
      width: value.width, height: value.height,
    };
  })"""
"""Every visible body cell: its table, column name, text, the label drawn before it and its box."""

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
TABLE_PAGES = ["/", "/retention", "/operations", "/kpi/revenue", "/alerts"]
"""Pages that show at least one data table on the demo company."""


def _inside(box: dict[str, float] | None, width: int) -> bool:
    """Whether a bounding box lies wholly between the viewport's left and right edges."""
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _cells(watched: Watched) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = watched.page.evaluate(TABLE_CELLS)
    return cells


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_table_number_is_on_screen_with_its_label_on_a_phone(
    open_page: Callable[..., Watched], demo_url: str, scheme: str
) -> None:
    watched = open_page(demo_url, color_scheme=scheme, width=PHONE, height=844)
    numbers_seen = 0
    for path in PAGES:
        watched.goto(path)
        assert watched.page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways"
        cells = _cells(watched)
        if path in TABLE_PAGES:
            assert cells, f"{path} shows no table"
        for cell in cells:
            where = f"{path} {cell['table']} {cell['column']!r}: {cell['text']!r}"
            assert cell["left"] >= 0, f"off screen: {where}"
            assert cell["right"] <= PHONE, f"off screen: {where}"
            assert cell["width"] > 0, f"not drawn: {where}"
            assert cell["height"] > 0, f"not drawn: {where}"
            assert cell["column"], f"unlabelled: {where}"
            assert cell["label"] == cell["column"], f"unlabelled: {where}"
            if cell["num"]:
                numbers_seen += 1
                assert any(ch.isdigit() for ch in cell["text"]) or cell["text"] == "—", where
    assert numbers_seen > 20
    watched.assert_clean()


def test_at_risk_customers_show_their_expected_loss_on_a_phone(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=PHONE, height=844)
    watched.goto("/")
    at_risk = [c for c in _cells(watched) if c["table"] == "at-risk-customers"]
    losses = [c for c in at_risk if c["column"] == "Expected loss / month"]
    assert losses, "no expected-loss cell on the overview"
    for cell in losses:
        assert "£" in cell["text"], cell
        assert cell["right"] <= PHONE, cell


def test_an_editor_reaches_acknowledge_and_close_on_a_phone(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=PHONE, height=844)
    login(watched, "eddie")
    watched.goto("/alerts")
    for name in ("Acknowledge", "Close"):
        button = watched.page.locator("#alerts-table").get_by_role("button", name=name).first
        button.scroll_into_view_if_needed()
        assert button.is_visible()
        assert _inside(button.bounding_box(), PHONE), name
    assert watched.page.evaluate(SIDEWAYS) <= 0
    first = watched.page.locator("#alerts-table tbody tr").first
    alert_id = first.get_attribute("data-id")
    first.get_by_role("button", name="Acknowledge").click()  # a real tap-sized click, on screen
    watched.page.wait_for_selector(f"#alerts-table tr[data-id='{alert_id}']", state="detached")
    watched.assert_clean()


@pytest.mark.parametrize("width", [PHONE, 700])
def test_the_current_page_tab_is_in_view_and_every_tab_is_reachable(
    open_page: Callable[..., Watched], demo_url: str, width: int
) -> None:
    watched = open_page(demo_url, width=width, height=844)
    for path in ["/marketing", "/products", "/alerts"]:
        watched.goto(path)
        tab = watched.page.locator('.site-nav a[aria-current="page"]')
        assert _inside(tab.bounding_box(), width), path
        if width == PHONE:
            # Every tab whole on screen, tall enough for a thumb, none cut to "Opera…".
            for link in watched.page.locator(".site-nav a").all():
                each = link.bounding_box()
                assert _inside(each, width), link.inner_text()
                assert each["height"] >= 44
                assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), link.inner_text()


def test_desktop_tables_keep_their_header_row_and_columns(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=1440, height=900)
    watched.goto("/")
    head = watched.page.locator("#at-risk-table thead th").first
    assert head.is_visible()
    row = watched.page.locator("#at-risk-table tbody tr").first
    tops = {round(td.bounding_box()["y"]) for td in row.locator("td").all()}
    assert len(tops) == 1, "a desktop row must stay on one line of columns"
    assert all(c["label"] == "" for c in _cells(watched)), "desktop cells draw no inline label"


CHART_OPTIONS = """async () => {
  // The page's own (fingerprinted) ECharts module: a second copy would know no chart.
  const bundle = document.querySelector('link[rel="modulepreload"][href*="/vendor/echarts."]');
  const echarts = await import(bundle.href);
  return [...document.querySelectorAll("[data-chart], .chart-box")].map((box) => {
    const chart = echarts.getInstanceByDom(box);
    if (!chart) return null;
    const option = chart.getOption();
    const series = option.series[0] || {};
    const legend = (option.legend || [])[0] || {};
    const names = (series.data || []).map((d) => d.name);
    const x = (option.xAxis || [])[0] || {};
    const y = (option.yAxis || [])[0] || {};
    return {
      kind: series.type,
      height: box.getBoundingClientRect().height,
      right: box.getBoundingClientRect().right,
      legendType: legend.type,
      legendLines: legend.formatter ? names.map((n) => legend.formatter(n)) : [],
      outsideLabels: series.label?.show !== false,
      categories: (x.data || []).length,
      interval: x.axisLabel?.interval,
      valueLabelAlign: y.axisLabel?.verticalAlign,
      valueAxis: y.type,
    };
  }).filter(Boolean);
}"""
"""What each drawn chart shows: legend kind and lines, outside labels, axis label spacing."""


def test_donuts_fit_a_phone_with_every_share_in_an_unpaged_legend(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=PHONE, height=844)
    watched.goto("/marketing")
    donuts = [c for c in watched.page.evaluate(CHART_OPTIONS) if c["kind"] == "pie"]
    assert len(donuts) >= 3
    for donut in donuts:
        assert donut["legendType"] == "plain", "a paged legend hides slices behind 1/4"
        assert not donut["outsideLabels"], "outside labels are cut at 390 px"
        assert donut["right"] <= PHONE
        assert all(" · " in line and line.endswith("%") for line in donut["legendLines"]), donut
        # The box grows to hold the donut plus one legend line per slice.
        assert donut["height"] >= 210 + 20 * len(donut["legendLines"]), donut
    desktop = open_page(demo_url, width=1440, height=900)
    desktop.goto("/marketing")
    wide = [c for c in desktop.page.evaluate(CHART_OPTIONS) if c["kind"] == "pie"]
    # Wider screens put the same unpaged legend, one line per slice, beside the donut.
    for donut in wide:
        assert donut["legendType"] == "plain", donut
        assert all(" · " in line and line.endswith("%") for line in donut["legendLines"]), donut
        assert donut["height"] >= 20 * len(donut["legendLines"]), donut


def test_phone_period_axes_show_about_four_labels_clear_of_the_value_axis(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=PHONE, height=844)
    watched.goto("/")
    charts = [c for c in watched.page.evaluate(CHART_OPTIONS) if c["categories"] > 6]
    assert charts
    for chart in charts:
        shown = -(-chart["categories"] // (chart["interval"] + 1))
        assert shown <= 4, chart
        if chart["valueAxis"] == "value":
            assert chart["valueLabelAlign"] == "bottom", "value labels sit above their grid line"


LEGENDS = """async () => {
  const bundle = document.querySelector('link[rel="modulepreload"][href*="/vendor/echarts."]');
  const echarts = await import(bundle.href);
  return [...document.querySelectorAll("[data-chart] .chart-box")].map((box) => {
    const chart = echarts.getInstanceByDom(box);
    const legend = chart && chart.getModel().getComponent("legend");
    if (!legend || !legend.get("show") || !chart.getModel().getComponent("grid")) return null;
    const group = chart.getViewOfComponentModel(legend).group;
    const rect = group.getBoundingRect();
    const texts = [];
    group.traverse((el) => {
      if (el.style && typeof el.style.text === "string") texts.push(el.style.text);
    });
    return {
      chart: box.closest("[data-chart]").dataset.chart,
      type: legend.get("type"),
      names: legend.getData().map((d) => d.get("name")),
      texts,
      left: group.x + rect.x,
      right: group.x + rect.x + rect.width,
      bottom: group.y + rect.y + rect.height,
      plotTop: chart.getModel().getComponent("grid").coordinateSystem.getRect().y,
      width: box.clientWidth,
    };
  }).filter(Boolean);
}"""
"""Each cartesian chart's legend: its kind, the names it must show, the text drawn and its box."""


def test_chart_legends_wrap_whole_on_a_phone_above_the_plot(
    open_page: Callable[..., Watched], planned_demo_url: str
) -> None:
    # With a plan the revenue chart names five series: more than one line at 390 px.
    watched = open_page(planned_demo_url, width=PHONE, height=844)
    for path in ("/", "/finance", "/retention", "/kpi/revenue"):
        watched.goto(path)
        legends = watched.page.evaluate(LEGENDS)
        assert legends, path
        for legend in legends:
            assert legend["type"] == "plain", f"{legend['chart']}: a paged legend (1/4) hides names"
            for name in legend["names"]:
                assert name in legend["texts"], f"{legend['chart']}: {name!r} is not drawn whole"
            assert legend["left"] >= 0, legend
            assert legend["right"] <= legend["width"] + 1, legend
            assert legend["bottom"] <= legend["plotTop"], f"{legend['chart']}: legend over the plot"
        if path == "/":
            revenue = next(x for x in legends if x["chart"] == "revenue-trend")
            assert revenue["bottom"] > 40, revenue
    watched.assert_clean()


def test_horizontal_bars_keep_every_name_on_a_phone(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=PHONE, height=844)
    watched.goto("/kpi/revenue?by=customer")
    shown = watched.page.evaluate(
        """async () => {
          const bundle = document.querySelector('link[href*="/vendor/echarts."]');
          const echarts = await import(bundle.href);
          return [...document.querySelectorAll("[data-chart] .chart-box")].map((box) => {
            const chart = echarts.getInstanceByDom(box);
            const y = chart && chart.getModel().getComponent("yAxis");
            if (!y || y.axis.type !== "category") return null;
            return {
              bars: y.axis.scale.count(),
              labels: y.axis.getViewLabels().map((l) => l.formattedLabel),
              overflow: y.get("axisLabel").overflow,
            };
          }).filter(Boolean);
        }"""
    )
    assert shown, "the drill-down has horizontal bar charts"
    for chart in shown:
        assert len(chart["labels"]) == chart["bars"], f"names left out: {chart['labels']}"
        assert chart["overflow"] == "break", "a long name wraps onto a second line, never cut"
    watched.assert_clean()
