"""The Delivery page and the digest in Chromium: test-send from the page, and a digest that reads
well at 390 px and 1440 px and shows the overview's own figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from execdash.delivery import digests, render
from tests.delivery.conftest import Receiver, receiver
from tests.web.conftest import Watched, login

__all__ = ["receiver"]  # the loopback HTTP receiver fixture of tests/delivery
pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
HEADLINE = ("revenue", "backlog", "uptime", "nrr", "gm", "payback")


@pytest.mark.parametrize("width", [1440, 390])
def test_an_editor_adds_a_channel_and_sees_its_test_message_arrive(
    open_page: Callable[..., Watched], demo_url: str, receiver: Receiver, width: int
) -> None:
    watched = open_page(demo_url, width=width)
    page = watched.page
    login(watched, "eddie")
    watched.goto("/delivery")
    # No markdown backticks in what people read: the command is named in quotes.
    empty = page.locator("#recipients .empty").inner_text()
    assert "“execdash recipients add”" in empty, empty
    assert "`" not in empty, empty
    page.fill("#channel-form input[name=name]", "team-slack")
    page.select_option("#channel-form select[name=kind]", "slack")
    page.fill("#channel-form input[name=target]", receiver.url)
    page.click("#channel-form button[type=submit]")
    page.wait_for_selector("#channels tbody tr")
    page.get_by_role("button", name="Send a test message to team-slack").click()
    status = page.locator("#delivery-status")
    status.filter(has_text="Test message delivered to team-slack").wait_for(timeout=15000)
    assert status.is_visible()
    assert "HTTP 200" in status.inner_text()
    assert receiver.requests[0].body.startswith(b'{"text": "Test message from execdash')
    page.locator("#delivery-log tbody tr", has_text="Test message to team-slack").filter(
        has_text="sent"
    ).wait_for(timeout=10000)
    watched.assert_clean()


def test_a_viewer_is_told_to_sign_in_as_an_editor(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    login(watched, "vera")
    watched.goto("/delivery")
    assert watched.page.is_visible("#delivery-locked")
    assert watched.page.locator("#channels table").count() == 0
    watched.assert_clean()


@pytest.mark.parametrize("width", [1440, 390])
def test_the_digest_reads_at_each_width_with_the_overviews_figures(
    open_page: Callable[..., Watched],
    demo_url: str,
    demo_engine: Engine,
    width: int,
    tmp_path: Path,
) -> None:
    who = digests.Recipient(None, "Dana", "dana@example.com", "ceo", "weekly", "12m")
    with demo_engine.connect() as conn:
        digest = digests.build(conn, who, symbol="£", public_url=demo_url)
    page_file = tmp_path / "digest.html"
    page_file.write_text(render.html(digest, render.chart_images(digest), inline=True))

    watched = open_page(demo_url, width=width)
    watched.goto("/?range=12m")
    shown = {
        key: watched.page.inner_text(f"article.tile[data-kpi={key}] .tile-value").strip()
        for key in HEADLINE
    }

    mail = watched.page
    mail.goto(page_file.as_uri())
    for key in HEADLINE:
        cell = mail.locator(f"tr[data-kpi={key}] [data-value]")
        assert cell.is_visible()
        assert cell.inner_text().strip() == shown[key], key
    assert mail.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    for image in mail.locator("img").all():
        box = image.bounding_box()
        assert box is not None
        assert box["width"] <= width
        assert mail.evaluate(
            "(img) => img.complete && img.naturalWidth > 0", image.element_handle()
        )
    SCREENSHOTS.mkdir(exist_ok=True)
    mail.screenshot(path=str(SCREENSHOTS / f"digest-light-{width}.png"), full_page=True)
