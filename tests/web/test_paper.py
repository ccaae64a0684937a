"""Paper: Chromium's own print (page.pdf(), no emulated media) gives a one-sheet board summary of
the overview, and a domain page prints cleanly; read back with pdftotext, boxes checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

# A4 landscape less the 8 mm margins of print.css, in CSS px: the width the sheet lays out at.
SHEET_WIDTH = round((297 - 16) / 25.4 * 96)
SHEET_HEIGHT = round((210 - 16) / 25.4 * 96)
PRINT_KEEP = 3  # printing.js

BOXES = """(selectors) => selectors.flatMap((s) => [...document.querySelectorAll(s)])
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    const r = el.getBoundingClientRect();
    const name = el.id || el.dataset.chart || el.className;
    return { name, x: r.x, y: r.y, w: r.width, h: r.height };
  })"""

CANVASES = """() => [...document.querySelectorAll(".chart-box")].map((box) => {
  const card = box.closest(".card").getBoundingClientRect();
  const canvas = box.querySelector("canvas").getBoundingClientRect();
  return {
    chart: box.closest(".card").dataset.chart,
    card: [card.left, card.top, card.right, card.bottom],
    canvas: [canvas.left, canvas.top, canvas.right, canvas.bottom],
    drawnWidth: box.querySelector("canvas").style.width,
  };
})"""


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> tuple[int, str]:
    """Pages and the text (layout kept) of a PDF, read back with poppler's tools."""
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    )
    return pages, text.stdout


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1
            and a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1)  # fmt: skip


def _inside(chart: dict[str, Any]) -> bool:
    """The chart's canvas lies within its card (half a pixel of rounding allowed)."""
    left, top, right, bottom = chart["card"]
    c_left, c_top, c_right, c_bottom = chart["canvas"]
    return min(c_left - left, c_top - top, right - c_right, bottom - c_bottom) >= -0.5


def _open(watched: Watched, path: str) -> None:
    """Open `path` and wait for its data (generously: the sheet is what is tested, not speed)."""
    watched.page.set_default_navigation_timeout(120_000)
    response = watched.page.goto(watched.base + path)
    assert response is not None
    assert response.status == 200
    watched.page.wait_for_selector("body[data-loaded]:not([aria-busy])", timeout=120_000)


# Resolves after two animation frames: the media-change listeners and ResizeObservers of the first
# frame after an emulation change have run by the second (the order of "update the rendering").
TWO_FRAMES = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


def _print_layout(page: Any) -> None:
    """Lay the page out as the sheet does: its width, print media (charts.js refits canvases).

    The media change reaches the page's listeners at its next rendering step, not when
    emulate_media returns, so the layout is read only after two frames have been rendered."""
    page.set_viewport_size({"width": SHEET_WIDTH, "height": SHEET_HEIGHT})
    page.emulate_media(media="print")
    page.evaluate(TWO_FRAMES)


def test_the_printed_overview_is_a_one_sheet_board_summary(
    open_page: Callable[..., Watched], demo_url: str, tmp_path: Path
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    _open(watched, "/?range=12m&granularity=month")
    body = page.request.get(f"{demo_url}/api/v1/dashboard?range=12m&granularity=month").json()
    window = page.inner_text("#window-label")
    deltas = {
        k["key"]: page.locator(f'article.tile[data-kpi="{k["key"]}"] .delta').first.text_content()
        for k in body["kpis"]
    }
    # On screen the lists are whole and nothing printed-only shows.
    assert page.locator("#overview-alerts li[data-id]").count() == len(body["alerts"])
    for more in page.locator(".print-more").all():
        assert more.is_hidden(), more.text_content()
    assert "more open alerts" not in page.inner_text("main")  # the screen lists every alert
    assert page.locator("#print-window").is_hidden()

    pages, text = _pdf_text(page.pdf(format="A4", landscape=True), tmp_path, "overview")  # plain
    assert pages == 1, text
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    header = lines[0]
    assert header.startswith(window), header  # "Nov 2025 – Oct 2026 · by month"
    assert "data to Oct 2026" in header
    assert "last updated" in header
    assert lines[1] == "Overview"
    flat = " ".join(lines)
    for kpi in body["kpis"]:
        if kpi["change"] is None or kpi.get("comparable") is False or kpi["favourable"] is None:
            continue
        word = "better" if kpi["favourable"] else "worse"
        shown = " ".join(deltas[kpi["key"]].split())
        assert shown.startswith(("▲", "▼", "▶")), shown
        assert shown.endswith(word), (kpi["key"], shown)
        assert shown in flat, f"{kpi['key']}: {shown!r} is not on the sheet"
    for noun, total in (("open alerts", body["alerts_total"]), ("open risks", body["risks_total"]),
                        ("at-risk customers", body["at_risk_total"])):  # fmt: skip
        assert total > PRINT_KEEP, noun
        assert f"and {total - PRINT_KEEP} more {noun}" in flat
    assert body["alerts"][0]["title"] in flat
    assert body["alerts"][PRINT_KEEP]["title"] not in flat
    assert "Against plan" not in flat
    for screen_only in ("Refresh", "Sign in", "CSV", "PNG", "Skip to content", "API reference"):
        assert screen_only not in flat, screen_only

    _print_layout(page)
    cards = page.evaluate(BOXES, ["#headline-tiles", "#highlight-tiles", "main .grid-2 > .card"])
    assert len(cards) == 7  # the "against plan" table is not printed: every tile says it
    # Newest alerts, open risks and the at-risk customers share the sheet's last row.
    at_risk = next(c for c in cards if c["name"] == "at-risk-table")
    assert [round(c["y"]) for c in cards if c["name"] == "card"] == [round(at_risk["y"])] * 2
    for i, a in enumerate(cards):
        assert a["x"] + a["w"] <= SHEET_WIDTH + 1, f"{a['name']} runs off the sheet"
        for b in cards[i + 1 :]:
            assert not _overlaps(a, b), f"{a['name']} is drawn over {b['name']}"
    (chart,) = page.evaluate(CANVASES)
    assert _inside(chart), f"the revenue chart is drawn outside its card: {chart}"
    assert float(chart["drawnWidth"].removesuffix("px")) < SHEET_WIDTH, "canvas not redrawn"
    watched.assert_clean()


def test_a_printed_domain_page_keeps_every_chart_inside_its_card(
    open_page: Callable[..., Watched], demo_url: str, tmp_path: Path
) -> None:
    watched = open_page(
        demo_url, color_scheme="dark"
    )  # the system's dark theme prints black on white
    page = watched.page
    _open(watched, "/finance?range=12m&granularity=month")
    window = page.inner_text("#window-label")
    titles = page.locator("#domain-charts .card-head h2").all_inner_texts()
    pages, text = _pdf_text(page.pdf(format="A4", landscape=True), tmp_path, "finance")
    flat = " ".join(text.split())
    assert flat.startswith(" ".join(window.split())), flat[:120]
    assert "Finance" in flat
    for title in titles:
        assert title in flat, title
    assert "Refresh" not in flat
    assert not re.search(r"\bCSV\s+PNG\b|\bDownload\b", flat)  # no download controls
    assert 1 <= pages <= 3
    _print_layout(page)
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color,"
        " getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('.card')).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(255, 255, 255)"]
    charts = page.evaluate(CANVASES)
    assert len(charts) == len(titles)
    for chart in charts:
        assert _inside(chart), f"{chart['chart']} is drawn outside its card"
    cards = page.evaluate(BOXES, ["#domain-tiles", "#domain-charts > .card"])
    for i, a in enumerate(cards):
        for b in cards[i + 1 :]:
            assert not _overlaps(a, b), f"{a['name']} is drawn over {b['name']}"
    watched.assert_clean()
