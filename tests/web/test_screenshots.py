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
        assert target.stat().st_size > 10_000
    watched.assert_clean()
