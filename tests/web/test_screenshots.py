"""Screenshots of every page at 1440 px and 390 px, light and dark, into `screenshots/`.

The folder is git-ignored; docs/web.md names it so anyone can look at the pages without a server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.web.conftest import PAGES, Watched

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parents[2] / "screenshots"


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "overview"


BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""
"""Relative luminance (0 black … 1 white) of the page background the screenshot shows."""

BLANK_CHARTS = """() => [...document.querySelectorAll("canvas")]
  .filter((canvas) => canvas.width > 40 && canvas.height > 40 && canvas.offsetParent !== null)
  .filter((canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return painted < 200;
  })
  .map((canvas) => canvas.closest("[id]")?.id || "unnamed chart")"""
"""Ids of visible chart canvases with (almost) nothing drawn on them."""

VIEWS = [(1440, "light"), (1440, "dark"), (390, "light"), (390, "dark")]


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_screenshots_of_every_page(
    open_page: Callable[..., Watched], demo_url: str, width: int, scheme: str
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    watched = open_page(demo_url, color_scheme=scheme, width=width, height=900)
    for path in PAGES:
        watched.goto(path)
        watched.page.wait_for_timeout(350)  # let chart animations settle
        overflow = watched.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        target = SCREENSHOTS / f"{_name(path)}-{width}-{scheme}.png"
        watched.page.screenshot(path=str(target), full_page=True)
        luminance = watched.page.evaluate(BACKGROUND_LUMINANCE)
        assert (luminance < 0.2) if scheme == "dark" else (luminance > 0.8), (path, luminance)
        blank = watched.page.evaluate(BLANK_CHARTS)
        assert blank == [], f"{path} at {width}px {scheme}: charts drew nothing: {blank}"
    watched.assert_clean()
