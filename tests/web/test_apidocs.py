"""The API reference at /docs renders from this server alone: Swagger UI from npm, no CDN."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def test_api_reference_renders_offline_with_every_operation(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    response = page.goto(f"{demo_url}/docs")
    assert response is not None
    assert response.status == 200
    page.wait_for_selector("body[data-loaded=docs]", timeout=20000)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("execdash")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/dashboard" in [p.replace("\u200b", "") for p in paths]
    assert len(paths) > 30
    page.locator(".opblock-summary-path", has_text="/api/v1/dashboard").first.click()
    page.wait_for_selector(".opblock.is-open .parameters-container", timeout=10000)
    assert "range" in page.locator(".opblock.is-open .parameters-container").inner_text()
    watched.assert_clean()  # no console error (CSP included), nothing fetched from another host
