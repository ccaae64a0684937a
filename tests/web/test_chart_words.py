"""Charts and words: readable axes, human labels, one measure per axis, alerts on the series."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

CHARTS = """async () => {
  const href = document.querySelector('link[rel=modulepreload][href*="echarts"]').href;
  const echarts = await import(href);
  return [...document.querySelectorAll("[data-chart]")].map((card) => {
    const box = card.querySelector(".chart-box");
    const chart = box && echarts.getInstanceByDom(box);
    if (!chart) return null;
    const model = chart.getModel();
    const axes = [];
    for (const type of ["xAxis", "yAxis"]) {
      for (let i = 0; model.getComponent(type, i); i += 1) {
        const axis = model.getComponent(type, i).axis;
        axes.push({ type: axis.type, labels: axis.getViewLabels().map((l) => l.formattedLabel) });
      }
    }
    const option = chart.getOption();
    const legend = (option.legend || [])[0] || {};
    const names = ((option.series || [])[0]?.data || []).map((d) => d && d.name);
    return {
      card: card.dataset.chart,
      title: card.querySelector("h2").textContent,
      kind: (option.series || [])[0]?.type,
      height: box.getBoundingClientRect().height,
      legendType: legend.type,
      legendLines: legend.formatter ? names.map((n) => legend.formatter(n)) : [],
      values: axes.filter((a) => a.type === "value").map((a) => a.labels),
    };
  }).filter(Boolean);
}"""
"""Every drawn chart: its title, and the labels a reader sees on each of its value axes."""


def _charts(watched: Watched) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = watched.page.evaluate(CHARTS)
    return result


def _chart(watched: Watched, card: str) -> dict[str, Any]:
    return next(c for c in _charts(watched) if c["card"] == card)


def _format_of(label: str) -> tuple[str, str, int]:
    """(prefix, suffix, decimals) of a tick label: "£1.5M" → ("£", "M", 1)."""
    digits = [i for i, ch in enumerate(label) if ch.isdigit()]
    body = label[digits[0] : digits[-1] + 1]
    decimals = len(body.split(".")[1]) if "." in body else 0
    return label[: digits[0]].lstrip("−+"), label[digits[-1] + 1 :], decimals


def test_value_axes_have_distinct_ticks_in_one_format(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    for path in ("/telemetry", "/marketing", "/operations", "/finance"):
        watched.goto(path)
        for chart in _charts(watched):
            for labels in chart["values"]:
                assert len(set(labels)) == len(labels), (path, chart["title"], labels)
                nonzero = [label for label in labels if any(ch in "123456789" for ch in label)]
                assert len({_format_of(label) for label in nonzero}) == 1, (chart["title"], labels)
    watched.goto("/telemetry")
    consumption = _chart(watched, "consumption-per-cycle")["values"][0]
    assert all(label.endswith(" g") and "." in label for label in consumption), consumption
    watched.goto("/marketing")
    visits = _chart(watched, "page-visits")["values"][0]
    assert visits[-1].endswith("K")
    assert all(label == "0" or label.endswith("K") for label in visits)
    watched.assert_clean()


def test_uptime_axis_is_regular(open_page: Callable[..., Watched], demo_url: str) -> None:
    watched = open_page(demo_url)
    watched.goto("/operations")
    labels = _chart(watched, "uptime-against-plan")["values"][0]
    steps = {
        round(float(b.rstrip("%")) - float(a.rstrip("%")), 6) for a, b in itertools.pairwise(labels)
    }
    assert len(steps) == 1, labels
    watched.assert_clean()


def test_no_chart_has_two_value_axes_and_pipeline_says_it_is_a_count(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    for path in ("/", "/finance", "/sales", "/operations", "/marketing"):
        watched.goto(path)
        for chart in _charts(watched):
            assert len(chart["values"]) <= 1, (path, chart["title"])
    watched.goto("/sales")
    card = watched.page.locator("[data-chart='pipeline-by-stage']")
    assert "number of deals" in card.locator("h2").inner_text()
    assert "not their value" in card.locator(".chart-note").inner_text()
    assert "£" not in "".join(_chart(watched, "pipeline-by-stage")["values"][0])
    watched.goto("/finance")
    titles = [c["title"] for c in _charts(watched)]
    assert "Gross margin" in titles
    assert "Book-to-bill" in titles
    arr = _chart(watched, "recurring-revenue-arr")
    assert all("£" in label or label == "£0" for label in arr["values"][0])
    watched.assert_clean()


def test_people_read_words_not_identifiers(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/marketing")
    feedback = _chart(watched, "feedback-by-type")
    assert any(line.startswith("Feature request · ") for line in feedback["legendLines"])
    assert "feature_request" not in page.inner_text("main")
    watched.goto("/operations")
    headers = page.locator("[data-table='repurchase-by-device-type'] th").all_inner_texts()
    assert [h.strip() for h in headers] == ["Device type", "Repurchase rate"]
    watched.goto("/kpi/gm?by=industry")
    page.wait_for_selector("#kpi-table th")
    assert page.locator("#kpi-table th").first.inner_text().strip() == "Industry"
    drivers = page.locator("#kpi-drivers th").first
    assert drivers.inner_text().strip() == "Industry"
    assert page.locator("#breakdown-by option:checked").inner_text() == "Industry"
    watched.goto("/alerts")
    types = page.locator("#alerts-table td[data-label='Type']").all_inner_texts()
    assert "Operations" in types
    assert "ops" not in types
    watched.assert_clean()


def test_customer_mix_legend_fits_unpaged_at_1440(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=1440)
    watched.goto("/marketing")
    mix = _chart(watched, "customers-by-industry")
    assert mix["legendType"] == "plain", "a scroll legend pages the slices (1/2)"
    assert len(mix["legendLines"]) >= 8
    assert mix["height"] >= 22 * len(mix["legendLines"])
    assert all(" · " in line and line.endswith("%") for line in mix["legendLines"])
    watched.assert_clean()


def test_the_may_uptime_dip_shows_its_alert_on_the_chart_and_in_the_tooltip(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/operations?range=12m&granularity=month")
    alerts = page.request.get(f"{demo_url}/api/v1/alerts?page_size=200").json()["items"]
    dip = next(a for a in alerts if a["title"] == "Uptime dropped below 97%")
    month = re.search(r"\d{4}-\d{2}", dip["description"])
    assert month is not None
    year, number = month.group(0).split("-")
    shown = f"{MONTHS[int(number) - 1]} {year}"  # the demo's dip: May 2026 with data to Nov 2026
    note = page.locator("[data-chart='uptime-against-plan'] .chart-note")
    assert f"{shown}: Uptime dropped below 97% (high alert, open)" in note.inner_text()
    assert note.is_visible()
    page.locator("[data-chart='uptime-against-plan']").scroll_into_view_if_needed()
    point = page.evaluate(
        """async (shown) => {
          const href = document.querySelector('link[rel=modulepreload][href*="echarts"]').href;
          const echarts = await import(href);
          const box = document.querySelector("[data-chart='uptime-against-plan'] .chart-box");
          const chart = echarts.getInstanceByDom(box);
          const series = chart.getOption().series[0];
          const index = chart.getOption().xAxis[0].data.indexOf(shown);
          const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [index, series.data[index]]);
          const rect = box.getBoundingClientRect();
          return { x: rect.left + x, y: rect.top + y, pins: series.markPoint.data.length };
        }""",
        shown,
    )
    assert point["pins"] == 1
    # Hover the May period just above the dip: the axis tooltip lists the alert.
    page.mouse.move(point["x"], point["y"] - 60)
    tooltip = page.locator("[data-chart='uptime-against-plan'] .tt-notice")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "Uptime dropped below 97%" in tooltip.inner_text()
    assert "High alert" in tooltip.inner_text()
    watched.assert_clean()


def test_charts_with_a_plan_line_zoom_to_their_data(
    open_page: Callable[..., Watched], planned_demo_url: str
) -> None:
    # The plan starts in Jan 2026, inside the window: months without a plan must not pull the
    # axis down to 0% and flatten a dip of a few points into a straight line.
    watched = open_page(planned_demo_url)
    for path, card, floor in (
        ("/operations", "uptime-against-plan", 90.0),
        ("/finance", "gross-margin", 20.0),
        ("/retention", "net-revenue-retention", 80.0),
    ):
        watched.goto(f"{path}?range=12m&granularity=month")
        assert "Dashed: the plan" in watched.page.inner_text(f"[data-chart='{card}']")
        labels = _chart(watched, card)["values"][0]
        assert float(labels[0].rstrip("%")) >= floor, (card, labels)
    watched.assert_clean()


def test_mrr_movements_draw_churn_below_zero_on_one_axis(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    watched.goto("/retention?range=12m&granularity=month")
    chart = _chart(watched, "mrr-movements")
    assert len(chart["values"]) == 1, "closing MRR is in the tooltip, not on a second axis"
    labels = chart["values"][0]
    assert labels[0].startswith("−£"), f"contraction and churn are cut off: {labels}"
    assert any(label.startswith("£") and label != "£0" for label in labels), labels
    note = watched.page.locator("[data-chart='mrr-movements'] .chart-note").inner_text()
    assert "closing MRR is in the tooltip" in note
    assert "retention_nrr" not in watched.page.inner_text("main")
    watched.assert_clean()


SLICE_COLOURS = """async (card) => {
  const href = document.querySelector('link[rel=modulepreload][href*="echarts"]').href;
  const echarts = await import(href);
  const box = document.querySelector(`[data-chart='${card}'] .chart-box`);
  const chart = echarts.getInstanceByDom(box);
  const data = chart.getModel().getSeriesByIndex(0).getData();
  return data.mapArray((i) => data.getItemVisual(i, "style").fill);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_donut_slice_has_its_own_colour(
    open_page: Callable[..., Watched], demo_url: str, scheme: str
) -> None:
    watched = open_page(demo_url, color_scheme=scheme)
    watched.goto("/marketing")
    colours = watched.page.evaluate(SLICE_COLOURS, "customers-by-industry")
    assert len(colours) == 8, colours  # eight industries in the demo
    assert len(set(colours)) == len(colours), f"two slices share a colour: {colours}"
    watched.assert_clean()


def test_a_shaded_gap_reads_as_a_shaded_square_in_the_legend(
    open_page: Callable[..., Watched], planned_demo_url: str
) -> None:
    watched = open_page(planned_demo_url)
    watched.goto("/finance")
    legend = watched.page.evaluate(
        """async () => {
          const href = document.querySelector('link[rel=modulepreload][href*="echarts"]').href;
          const echarts = await import(href);
          const box = document.querySelector("[data-chart='gross-margin'] .chart-box");
          return echarts.getInstanceByDom(box).getOption().legend[0].data;
        }"""
    )
    gap = next(item for item in legend if isinstance(item, dict) and item["name"] == "Gap to plan")
    assert gap["icon"] == "rect"
    watched.assert_clean()
