"""Editors acknowledge alerts and change risk status in the page; viewers see no such controls."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import Watched, login

pytestmark = pytest.mark.browser


def test_editor_acknowledges_an_alert_and_changes_a_risk_status(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    login(watched, "eddie")
    assert "eddie (editor)" in page.inner_text("#user-box")
    watched.goto("/alerts")

    first = page.locator("#alerts-table tbody tr").first
    alert_id = first.get_attribute("data-id")
    first.get_by_role("button", name="Acknowledge").click()
    page.wait_for_selector(f"#alerts-table tbody tr[data-id='{alert_id}']", state="detached")
    alert = page.request.get(f"{demo_url}/api/v1/alerts/{alert_id}").json()
    assert alert["status"] == "acknowledged"
    assert alert["status_by"] == "eddie"

    page.select_option("#alert-filters select[name=status]", "acknowledged")
    page.wait_for_selector(f"#alerts-table tbody tr[data-id='{alert_id}']")
    row = page.locator(f"#alerts-table tbody tr[data-id='{alert_id}']")
    row.get_by_role("button", name="Close").click()
    page.wait_for_selector(f"#alerts-table tbody tr[data-id='{alert_id}']", state="detached")
    assert page.request.get(f"{demo_url}/api/v1/alerts/{alert_id}").json()["status"] == "closed"

    risk_row = page.locator("#risks-table tbody tr").first
    risk_id = risk_row.get_attribute("data-id")
    current = risk_row.locator("select").input_value()
    new_status = "mitigating" if current != "mitigating" else "open"
    risk_row.locator("select").select_option(new_status)
    # The page disables the control while its PATCH is in flight; the API commits before it
    # answers, so once the control is enabled again the stored status must be the new one.
    page.wait_for_selector(f"#risks-table tbody tr[data-id='{risk_id}'] select:not([disabled])")
    assert page.request.get(f"{demo_url}/api/v1/risks/{risk_id}").json()["status"] == new_status
    assert page.locator(f"#risks-table tbody tr[data-id='{risk_id}'] select").input_value() == (
        new_status
    )

    page.click("#logout")
    page.wait_for_selector("#login-link")
    watched.wait_loaded()
    assert page.locator("#alerts-table button:not([aria-label$='as CSV'])").count() == 0
    watched.assert_clean()


@pytest.mark.parametrize("who", ["anonymous", "vera"])
def test_viewers_see_no_edit_controls(
    open_page: Callable[..., Watched], demo_url: str, who: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    if who != "anonymous":
        login(watched, who)
        assert "vera (viewer)" in page.inner_text("#user-box")
    watched.goto("/alerts")
    assert page.locator("#alerts-table tbody tr").count() > 0
    assert page.locator("#alerts-table button:not([aria-label$='as CSV'])").count() == 0
    assert page.locator("#alerts-table th", has_text="Actions").count() == 0
    assert page.locator("#risks-table tbody select").count() == 0
    watched.assert_clean()
