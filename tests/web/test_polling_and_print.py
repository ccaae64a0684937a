"""Alerts refresh every 30 s by ETag revalidation (printing: test_paper.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import Engine

from execdash.db import schema
from execdash.db.changes import record_data_change
from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def test_alert_list_polls_every_30_seconds_and_shows_new_alerts(
    open_page: Callable[..., Watched], demo_engine: Engine, demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    page.clock.install()
    watched.goto("/alerts")
    polls: list[int] = []
    # The list's own request (it filters by status); the filters' values are re-read only when
    # the list has changed.
    page.on(
        "request",
        lambda r: polls.append(1) if "/api/v1/alerts?" in r.url and "status=" in r.url else None,
    )

    page.clock.run_for(31_000)
    # A locator assertion, not wait_for_function: the page's CSP forbids the eval it needs.
    expect(page.locator("#alerts-refreshed")).to_contain_text("no change")
    assert len(polls) == 1

    with demo_engine.begin() as conn:
        conn.execute(
            schema.alerts.insert().values(
                type="finance", title="Cash below plan", severity="high",
                created_at=dt.datetime(2031, 1, 1, 9, 0),
            )
        )  # fmt: skip
        record_data_change(conn, ["alerts"])
    page.clock.run_for(30_000)
    page.wait_for_selector("#alerts-table td >> text=Cash below plan")
    assert len(polls) == 2
    watched.assert_clean()
