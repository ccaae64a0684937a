"""Browser fixtures: Playwright driving Debian's Chromium, headless, against a live server."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import Engine

from execdash.api.accounts import add_user
from execdash.config import Settings
from execdash.db import migrate
from execdash.db.engine import create_engine
from tests.conftest import require
from tests.live_server import serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
ECHARTS_BUNDLE = Path(__file__).parents[2] / "src/execdash/web/static/vendor/echarts.js"

# Every page of the dashboard, by the path a user types.
LOADED_TIMEOUT_MS = 60_000
"""How long a page may take to show its data: uncached windows on two busy cores can take
seconds (tests assert what the page shows, `make bench` measures how fast)."""
ABANDONED = "net::ERR_ABORTED"
"""Chromium's failure text for a request the page cancelled (navigation, AbortController)."""

PAGES = [
    "/",
    "/finance",
    "/sales",
    "/retention",
    "/operations",
    "/supply",
    "/telemetry",
    "/products",
    "/marketing",
    "/kpi/revenue",
    "/kpi/forecast",
    "/alerts",
    "/plans",
    "/login",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (skipped without it, failing under CI=true)."""
    require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
            "Debian's chromium is not installed at /usr/bin/chromium")  # fmt: skip
    require(ECHARTS_BUNDLE.exists(), "front-end assets are not built (run `make install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """A server over an empty, migrated SQLite database."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    with serving(Settings(database_url=url)) as base:
        yield base


@pytest.fixture
def demo_url(demo_engine: Engine) -> Iterator[str]:
    """A server over a private copy of the demo company, with a viewer and an editor account."""
    with demo_engine.begin() as conn:
        add_user(conn, "vera", PASSWORD, "viewer")
        add_user(conn, "eddie", PASSWORD, "editor")
    with serving(Settings(database_url=str(demo_engine.url))) as base:
        yield base


@pytest.fixture
def planned_demo_url(demo_engine: Engine) -> Iterator[str]:
    """The demo company with its budget and active reforecast (from Jan 2026, inside the window)."""
    from execdash.demo.plans import write_plans

    write_plans(demo_engine, dt.date(2026, 10, 1))
    with serving(Settings(database_url=str(demo_engine.url))) as base:
        yield base


@dataclass
class Watched:
    """A page plus everything that went wrong on it: console errors, failed or foreign requests."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        """Open `path` and wait until the page module has drawn its data."""
        response = self.page.goto(self.base + path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        self.wait_loaded()

    def wait_loaded(self) -> None:
        """Wait until <body data-loaded> names the view shown and no load is running."""
        self.page.wait_for_selector("body[data-loaded]:not([aria-busy])", timeout=LOADED_TIMEOUT_MS)

    def assert_clean(self) -> None:
        """No console error, no failed request, nothing fetched from another host, no dialog."""
        assert self.errors == []
        assert self.failed == []
        assert self.foreign == []
        assert self.dialogs == []


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Watched]]:
    """Open a watched page in a fresh context: `open_page(base, color_scheme=..., width=...)`."""
    contexts: list[Any] = []

    def opener(
        base: str, color_scheme: str = "light", width: int = 1440, height: int = 900
    ) -> Watched:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(LOADED_TIMEOUT_MS)  # clicks and navigations on busy cores
        watched = Watched(page, base)
        host = urlsplit(base).netloc

        def on_console(msg: Any) -> None:
            if msg.type == "error":
                watched.errors.append(msg.text)

        def on_request(request: Any) -> None:
            url = urlsplit(request.url)
            if url.scheme in {"http", "https", "ws", "wss"} and url.netloc != host:
                watched.foreign.append(request.url)

        def on_response(response: Any) -> None:
            if response.status >= 400:
                watched.failed.append(f"{response.status} {response.url}")

        def on_request_failed(request: Any) -> None:
            # A fetch the page itself abandoned (it navigated away, or replaced a stale load) is
            # not a failure anyone sees; a refused, reset or timed-out request is.
            if request.failure != ABANDONED:
                watched.failed.append(f"failed {request.url} ({request.failure})")

        def on_dialog(dialog: Any) -> None:
            watched.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
        page.on("requestfailed", on_request_failed)
        page.on("request", on_request)
        page.on("response", on_response)
        page.on("dialog", on_dialog)
        return watched

    yield opener
    for context in contexts:
        context.close()


def login(watched: Watched, username: str) -> None:
    """Sign in through the login page and wait for the overview."""
    watched.goto("/login")
    watched.page.fill("input[name=username]", username)
    watched.page.fill("input[name=password]", PASSWORD)
    with watched.page.expect_navigation():
        watched.page.click("button[type=submit]")
    watched.wait_loaded()
    # The login's write transaction commits before its response is sent, so the very first page
    # after the redirect must already be signed in: no reload, no retry.
    assert watched.page.locator("#logout").count() == 1, f"{username} is not signed in"
