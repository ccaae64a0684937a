"""The pages load in a real browser without console errors or failed requests."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_overview_loads_without_console_errors(browser: Any, live_url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: failed.append(req.url))
    response = page.goto(live_url + "/")
    assert response is not None
    assert response.status == 200
    assert "execdash" in page.title()
    assert errors == []
    assert failed == []
    page.close()
