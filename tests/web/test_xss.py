"""User text is always shown as text: a hostile alert title never becomes HTML or runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine

from execdash.db import schema
from tests.web.conftest import Watched

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_engine(demo_engine: Engine) -> Engine:
    """The demo company plus an alert, a risk and an at-risk customer carrying markup."""
    with demo_engine.begin() as conn:
        conn.execute(
            schema.alerts.insert().values(
                type="ops", title=HOSTILE, description="<script>alert(2)</script>",
                severity="high", created_at=dt.datetime(2030, 1, 1, 9, 0),
            )
        )  # fmt: skip
        conn.execute(
            schema.risks.insert().values(
                title="<b onmouseover=alert(3)>bold</b>", owner="<i>x</i>",
                due=dt.date(2030, 1, 1), mitigation=HOSTILE, status="open",
            )
        )  # fmt: skip
        conn.execute(
            schema.retention_at_risk.insert().values(
                customer=HOSTILE, mrr=1_000_000.0, risk=0.9, reason="<svg onload=alert(4)>"
            )
        )
    return demo_engine


def test_markup_in_user_text_is_shown_as_text_and_never_runs(
    open_page: Callable[..., Watched], hostile_engine: Engine, demo_url: str
) -> None:
    del hostile_engine
    watched = open_page(demo_url)
    page = watched.page
    for path in ("/", "/alerts", "/retention"):
        watched.goto(path)
        page.hover("main")
        assert page.locator("main img, main script, main svg:not(.sparkline), main b").count() == 0
    watched.goto("/")
    assert HOSTILE in page.inner_text("#overview-alerts")
    assert HOSTILE in page.inner_text("#at-risk-table")
    watched.goto("/alerts")
    assert HOSTILE in page.inner_text("#alerts-table")
    assert "<b onmouseover=alert(3)>bold</b>" in page.inner_text("#risks-table")
    page.wait_for_timeout(300)
    watched.assert_clean()
    requested = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [url for url in requested if url.endswith("/x")]
