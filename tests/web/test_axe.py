"""axe-core (from npm) on every page, light and dark, at 1440 px and 390 px: nothing serious."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import require
from tests.web.conftest import PAGES, Watched, login

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[2] / "node_modules/axe-core/axe.min.js"

RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): `
      + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""
"""The serious and critical violations axe finds on the page as it is drawn."""


def _violations(watched: Watched) -> list[str]:
    require(AXE.exists(), "axe-core is not installed (run `make install`)")
    # Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') still holds.
    watched.page.evaluate(AXE.read_text())
    found: list[str] = watched.page.evaluate(RUN)
    return found


@pytest.mark.parametrize(
    ("width", "scheme"), [(1440, "light"), (1440, "dark"), (390, "light"), (390, "dark")]
)
def test_no_serious_accessibility_violation_on_any_page(
    open_page: Callable[..., Watched], demo_url: str, width: int, scheme: str
) -> None:
    watched = open_page(demo_url, color_scheme=scheme, width=width, height=900)
    found = {}
    for path in PAGES:
        watched.goto(path)
        if violations := _violations(watched):
            found[path] = violations
    assert found == {}
    watched.assert_clean()


@pytest.mark.parametrize("width", [1440, 390])
def test_no_serious_accessibility_violation_with_edit_controls(
    open_page: Callable[..., Watched], demo_url: str, width: int
) -> None:
    watched = open_page(demo_url, width=width, height=900)
    login(watched, "eddie")
    watched.goto("/alerts")
    watched.page.locator("#alerts-table button").first.wait_for()
    assert _violations(watched) == []
    watched.goto("/kpi/revenue")
    watched.page.click("#kpi-tile details.how summary")
    watched.page.locator("#kpi-tile .how-body").wait_for()
    assert _violations(watched) == []
    watched.assert_clean()
