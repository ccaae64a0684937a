"""The Alert rules page as a person uses it: backtest a draft, save it, see it fire, fix a
rejected field, disable it; the expected band on the KPI chart; viewers only read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.engine import Engine

from execdash.api.accounts import add_user
from execdash.config import Settings
from execdash.demo.plans import write_plans
from tests.live_server import serving
from tests.web.conftest import PASSWORD, Watched, login

pytestmark = pytest.mark.browser


def fill_threshold(watched: Watched, name: str, value: str) -> None:
    page = watched.page
    page.fill("#rule-form input[name=name]", name)
    page.select_option("#rule-form select[name=metric]", "revenue")
    page.select_option("#rule-form select[name=kind]", "threshold")
    page.select_option("#rule-form select[name=direction]", "below")
    page.fill("#rule-form input[name=value]", value)


@pytest.mark.parametrize("width", [1440, 390])
def test_an_editor_backtests_saves_and_disables_a_rule(
    open_page: Callable[..., Watched], demo_url: str, width: int
) -> None:
    watched = open_page(demo_url, width=width)
    page = watched.page
    login(watched, "eddie")
    watched.goto("/alert-rules")
    assert page.inner_text("#rules-table").strip().endswith("No rules yet: create one below.")

    fill_threshold(watched, "Revenue floor", "2000000")
    assert page.inner_text("#value-label") == "Value (£)"
    page.click("#rule-backtest")
    summary = page.locator("#backtest-summary")
    summary.wait_for()
    assert summary.inner_text() == (
        "Would have raised 1 alert in the last 24 months (firing in 24 of them), starting 2024-11."
    )
    assert summary.is_visible()
    episodes = " ".join(page.inner_text("#backtest-episodes").split())
    assert episodes == "Nov 2024 – Oct 2026 · 24 months firing"
    assert page.locator("#rule-backtest-result canvas").count() == 1
    assert page.evaluate("fetch('/api/v1/alert-rules').then(r => r.json()).then(b => b.total)") == 0

    page.click("#rule-save")
    row = page.locator("#rules-table tbody tr").first
    row.get_by_text("Firing since Oct 2026").wait_for()
    text = " ".join(row.inner_text().split())
    assert "Revenue floor" in text
    assert "Fires when Revenue is below £2.0M in a month." in text
    assert "High" not in text
    assert "Medium" in text
    state = row.locator(".rule-state-firing")
    assert state.is_visible()
    red = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bad')")
    assert state.evaluate("e => getComputedStyle(e).color") == page.evaluate(
        f"(() => {{ const d = document.createElement('div'); d.style.color = '{red.strip()}';"
        " document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; })()"
    )

    # The alert it raised names the numbers and links back to the rule and the drill-down.
    watched.goto("/alerts")
    alert = page.locator("#alerts-table tbody tr", has_text="Revenue below £2.0M in Oct 2026")
    assert "Revenue was £997K in Oct 2026, below the line of £2.0M" in alert.inner_text()
    assert alert.get_by_role("link", name="See the numbers").get_attribute("href") == (
        "/kpi/revenue?as_of=2026-10"
    )
    alert.get_by_role("link", name="Rule #1").click()
    # The page then writes its view (range, granularity) into the query: the hash stays.
    page.wait_for_url(re.compile(r"/alert-rules(\?[^#]*)?#rule-1$"))
    watched.wait_loaded()

    page.locator("#rules-table tbody tr").first.get_by_role("button", name="Disable").click()
    page.locator("#rules-table tbody tr").first.get_by_text("Disabled").wait_for()
    watched.assert_clean()


def test_a_rejected_field_is_marked_with_the_reason(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url)
    page = watched.page
    login(watched, "eddie")
    watched.goto("/alert-rules")
    page.fill("#rule-form input[name=name]", "Leads jump")
    page.select_option("#rule-form select[name=metric]", "leads")
    page.select_option("#rule-form select[name=kind]", "change")
    assert page.inner_text("#value-label") == "By (%)"
    assert page.locator("#rule-form input[name=min_volume]").is_visible()
    assert not page.locator("#rule-form select[name=sensitivity]").is_visible()
    page.click("#rule-save")
    error = page.locator("#error-value")
    error.wait_for()
    assert error.inner_text() == (
        "a change rule needs the relative change that fires, above 0 and at most 10 (0.1 = 10%)"
    )
    assert page.get_attribute("#rule-form input[name=value]", "aria-invalid") == "true"
    page.fill("#rule-form input[name=value]", "30")
    page.fill("#rule-form input[name=min_volume]", "100")
    page.click("#rule-save")
    row = page.locator("#rules-table tbody tr", has_text="Leads jump")
    row.wait_for()
    assert (
        "Fires when Leads falls by more than 30.0% against the month before, when either "
        "month is at least 100." in " ".join(row.inner_text().split())
    )
    assert page.locator("#error-value").count() == 0
    watched.dialogs.clear()
    watched.failed.clear()  # the 422 (and its console line) was the point of this test
    watched.errors = [e for e in watched.errors if "422" not in e]
    watched.assert_clean()


def test_the_kpi_chart_draws_the_expected_band(
    open_page: Callable[..., Watched], demo_url: str
) -> None:
    watched = open_page(demo_url, width=390)
    watched.goto("/kpi/revenue?range=24m&granularity=month")
    note = watched.page.locator("#kpi-series .chart-note")
    assert note.is_visible()
    assert note.inner_text().startswith(
        "Shaded: the expected band (same month a year earlier × the typical year-over-year "
        "change, ± 3 robust standard deviations)."
    )
    watched.assert_clean()


@pytest.mark.parametrize("who", ["anonymous", "vera"])
def test_viewers_read_the_rules_but_get_no_form(
    open_page: Callable[..., Watched], demo_url: str, who: str
) -> None:
    watched = open_page(demo_url)
    if who != "anonymous":
        login(watched, who)
    watched.goto("/alert-rules")
    page = watched.page
    assert page.locator("#rule-readonly").inner_text() == (
        "Sign in as an editor to create or change rules."
    )
    assert not page.locator("#rule-form").is_visible()
    assert page.inner_text("#rules-table").strip().endswith("No rules yet.")
    watched.assert_clean()


@pytest.fixture
def planned_url(demo_engine: Engine) -> Iterator[str]:
    """The demo company with its budget and active reforecast, and an editor."""
    write_plans(demo_engine, dt.date(2026, 10, 1))
    with demo_engine.begin() as conn:
        add_user(conn, "eddie", PASSWORD, "editor")
    with serving(Settings(database_url=str(demo_engine.url))) as base:
        yield base


def test_an_off_plan_rule_reads_and_fires_at_phone_width(
    open_page: Callable[..., Watched], planned_url: str
) -> None:
    watched = open_page(planned_url, width=390)
    page = watched.page
    login(watched, "eddie")
    watched.goto("/alert-rules")
    page.fill("#rule-form input[name=name]", "Revenue vs plan")
    page.select_option("#rule-form select[name=kind]", "off_plan")
    churn = page.locator("#rule-form select[name=metric] option[value=gross_churn]")
    assert churn.is_disabled()  # no plan holds churn targets
    page.select_option("#rule-form select[name=metric]", "revenue")
    page.select_option("#rule-form select[name=direction]", "below")
    assert page.inner_text("#value-label") == "Off plan by more than (%)"
    page.fill("#rule-form input[name=value]", "5")
    page.click("#rule-backtest")
    sentence = page.locator("#backtest-rule")
    sentence.wait_for()
    assert sentence.inner_text() == "Fires when Revenue is more than 5.0% below plan in a month."
    assert sentence.is_visible()
    assert page.inner_text("#backtest-summary") == (
        "Would have raised 2 alerts in the last 24 months (firing in 3 of them), starting "
        "2026-01, 2026-08."
    )

    page.select_option("#rule-form select[name=direction]", "either")
    page.click("#rule-save")
    row = page.locator("#rules-table tbody tr", has_text="Revenue vs plan")
    row.get_by_text("Firing since Oct 2026").wait_for()
    text = " ".join(row.inner_text().split())
    assert "Fires when Revenue is more than 5.0% above or below plan in a month." in text
    assert row.locator(".rule-state-firing").is_visible()

    # The alert names actual, plan and gap: the drill-down's own row for the month.
    drill = page.evaluate(
        "fetch('/api/v1/kpis/revenue?range=12m&granularity=month&as_of=2026-10')"
        ".then(r => r.json()).then(b => b.off_plan.find(p => p.period === '2026-10'))"
    )
    assert (round(drill["actual"], -3), round(drill["plan"], -3)) == (997_000, 893_000)
    assert round(drill["variance_pct"], 3) == 0.116
    watched.goto("/alerts")
    alert = page.locator("#alerts-table tbody tr", has_text="Revenue vs plan")
    title = alert.get_by_text("Revenue 11.6% above plan in Oct 2026")
    assert title.is_visible()
    words = alert.get_by_text("Revenue was £997K in Oct 2026 against a plan of £893K")
    assert words.is_visible()
    assert "(Reforecast Q2 FY2026 v1): +£104K (+11.6%), more than the 5.0% above or below plan" in (
        words.inner_text()
    )
    link = alert.get_by_role("link", name="See the numbers")
    assert link.is_visible()
    assert link.get_attribute("href") == "/kpi/revenue?as_of=2026-10"
    watched.assert_clean()
