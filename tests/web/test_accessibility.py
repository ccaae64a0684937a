"""Keyboard use, visible focus and WCAG AA text contrast in both themes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

# (foreground, background) CSS variables of every text colour the pages use.
PAIRS = [
    ("--text", "--surface"),
    ("--text", "--bg"),
    ("--muted", "--surface"),
    ("--muted", "--bg"),
    ("--accent", "--surface"),
    ("--good", "--surface"),
    ("--bad", "--surface"),
    ("--accent-text", "--accent"),
    ("--sev-high", "--sev-high-bg"),
    ("--sev-medium", "--sev-medium-bg"),
    ("--sev-low", "--sev-low-bg"),
]

CONTRAST = """(pairs) => {
  const probe = document.createElement("span");
  document.body.append(probe);
  const rgb = (name) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color.match(/\\d+/g).slice(0, 3).map(Number);
  };
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const out = pairs.map(([fg, bg]) => {
    const [a, b] = [lum(rgb(fg)), lum(rgb(bg))].sort((x, y) => y - x);
    return [fg, bg, (a + 0.05) / (b + 0.05)];
  });
  probe.remove();
  return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_pass_wcag_aa_contrast(
    open_page: Callable[..., Watched], demo_url: str, scheme: str
) -> None:
    watched = open_page(demo_url, color_scheme=scheme)
    watched.goto("/")
    ratios = watched.page.evaluate(CONTRAST, PAIRS)
    failing = [(fg, bg, round(r, 2)) for fg, bg, r in ratios if r < 4.5]
    assert failing == []


def test_keyboard_reaches_a_drilldown_with_a_visible_focus_ring(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    watched.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.focus("a.tile-label[data-kpi=revenue]")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.kpi")
    assert focused == "revenue"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watched.wait_loaded()
    assert "/kpi/revenue" in page.url

    # The "how is this computed" popover opens from the keyboard and closes with Escape.
    page.focus("#kpi-tile details.how summary")
    page.keyboard.press("Enter")
    assert page.is_visible("#kpi-tile .how-body")
    api = page.request.get(f"{demo_url}/api/v1/kpis/revenue?range=12m&granularity=month").json()
    body = page.inner_text("#kpi-tile .how-body")
    assert api["kpi"]["provenance"]["formula"] in body
    assert all(i["name"] in body for i in api["kpi"]["provenance"]["inputs"])
    page.keyboard.press("Escape")
    assert page.is_hidden("#kpi-tile .how-body")
    watched.assert_clean()


def test_every_control_has_a_label(open_page: Callable[..., Watched], demo_url: str) -> None:
    watched = open_page(demo_url)
    page = watched.page
    for path in ("/", "/alerts", "/kpi/revenue", "/login"):
        watched.goto(path)
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input, select, button')].filter((el) =>
                !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.textContent.trim()
            ).map((el) => el.outerHTML.slice(0, 80))"""
        )
        assert unlabelled == [], path
    watched.assert_clean()
