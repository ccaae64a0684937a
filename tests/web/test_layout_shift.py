"""Nothing on screen jumps while a page loads: skeletons keep the tiles' and charts' space, so the
cumulative layout shift stays under 0.1 on a desktop and on a phone (make bench reports it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

BOUND = 0.1  # "good" CLS by the Web Vitals definition

# The largest session window of layout-shift entries (< 1 s apart, < 5 s long), as bench.web.
CLS = """() => new Promise((resolve) => {
  const entries = [];
  new PerformanceObserver((list) => entries.push(...list.getEntries()))
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => {
    let worst = 0, current = 0, first = 0, last = 0;
    const shifts = entries.filter((e) => !e.hadRecentInput);
    for (const e of shifts) {
      if (current && e.startTime - last < 1000 && e.startTime - first < 5000) current += e.value;
      else { current = e.value; first = e.startTime; }
      last = e.startTime;
      worst = Math.max(worst, current);
    }
    const moved = shifts.flatMap((e) => e.sources || [])
      .map((s) => s.node && (s.node.id || s.node.className || s.node.nodeName));
    resolve({ cls: worst, moved });
  }, 200);
})"""


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
@pytest.mark.parametrize("path", ["/", "/finance"])
def test_loading_a_page_moves_nothing_on_screen(
    open_page: Callable[..., Watched], demo_url: str, path: str, width: int, height: int
) -> None:
    watched = open_page(demo_url, width=width, height=height)
    page = watched.page
    page.set_default_navigation_timeout(120_000)
    page.goto(f"{demo_url}{path}?range=12m&granularity=month")
    page.wait_for_selector("body[data-loaded]:not([aria-busy])", timeout=120_000)
    page.wait_for_timeout(300)
    shift = page.evaluate(CLS)
    assert shift["cls"] < BOUND, f"{path} at {width} px shifts {shift['cls']:.3f}: {shift['moved']}"
    # The skeletons are gone and real tiles stand in their place.
    assert page.locator(".skeleton").count() == 0
    assert page.locator("article.tile").first.is_visible()
    watched.assert_clean()
