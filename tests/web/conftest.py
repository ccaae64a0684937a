"""Browser fixtures: Playwright driving Debian's Chromium, headless, against a live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (skipped without it, failing under CI=true)."""
    require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
            "Debian's chromium is not installed at /usr/bin/chromium")  # fmt: skip
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
