"""The active plan beside a KPI's months: the same gap the drill-down shows, and the words."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.alerts import describe, offplan
from execdash.alerts.catalog import METRICS
from execdash.alerts.rules import RuleSpec, check
from execdash.db.engine import begin_write
from execdash.plans import store as plan_store

SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def test_gaps_are_the_drilldowns_variance_for_months_with_both() -> None:
    found = offplan.gaps("revenue", "currency", {SEP: 1100.0, OCT: 940.0, NOV: 5.0},
                         {SEP: 1000.0, OCT: 1000.0})  # fmt: skip
    assert set(found) == {SEP, OCT}  # November has no plan
    oct_ = found[OCT]
    assert (oct_.actual, oct_.plan, oct_.variance) == (940.0, 1000.0, -60.0)
    assert oct_.variance_pct == pytest.approx(-0.06)
    assert oct_.favourable is False
    assert found[SEP].variance_pct == pytest.approx(0.1)
    assert found[SEP].favourable is True


def test_gaps_of_a_down_is_good_kpi_are_favourable_below_plan() -> None:
    found = offplan.gaps("payback", "months", {OCT: 9.0}, {OCT: 10.0})
    assert found[OCT].variance_pct == pytest.approx(-0.1)
    assert found[OCT].favourable is True


def test_only_the_kpis_a_plan_holds_are_plannable() -> None:
    assert offplan.plannable("revenue")
    assert offplan.plannable("uptime")
    assert not offplan.plannable("gross_churn")
    assert not offplan.plannable("forecast")


def test_words_name_actual_plan_and_gap() -> None:
    metric = METRICS["revenue"]
    rule = RuleSpec("revenue", "off_plan", "below", value=0.05)
    gaps = offplan.gaps("revenue", "currency", {OCT: 940_000.0}, {OCT: 1_000_000.0})
    seen = check(rule, {OCT: 940_000.0}, OCT, "currency", gaps)
    assert seen is not None
    assert describe.rule_sentence(metric, rule, "£") == (
        "Fires when Revenue is more than 5.0% below plan in a month."
    )
    assert describe.title(metric, rule, seen, "£") == "Revenue 6.0% below plan in Oct 2026"
    assert describe.description(metric, rule, seen, "Revenue vs plan", 7, "£", "Budget v2") == (
        "Revenue was £940K in Oct 2026 against a plan of £1.0M (Budget v2): −£60.0K (−6.0%), "
        "more than the 5.0% below plan allowed by rule “Revenue vs plan” (#7). It resolves when "
        "revenue is within 4.8% of plan."
    )
    assert describe.resolved(metric, seen, "£") == (
        " Resolved: revenue was £940K in Oct 2026 against a plan of £1.0M."
    )


def test_words_of_a_ratio_kpi_are_in_points() -> None:
    metric = METRICS["uptime"]
    rule = RuleSpec("uptime", "off_plan", "either", value=0.005)
    gaps = offplan.gaps("uptime", "ratio", {OCT: 0.989}, {OCT: 0.995})
    seen = check(rule, {}, OCT, "ratio", gaps)
    assert seen is not None
    assert describe.rule_sentence(metric, rule, "£") == (
        "Fires when Uptime is more than 0.5 pts above or below plan in a month."
    )
    assert describe.title(metric, rule, seen, "£") == "Uptime 0.6 pts below plan in Oct 2026"


def _plan(conn: sa.Connection, target: float, *, activate: bool = True) -> None:
    rows = [("revenue", f"2026-{m:02d}", "", "", target) for m in (9, 10)]
    plan_store.create_plan(conn, "Budget", rows, activate=activate)


def test_active_plan_is_the_plan_line_per_month(any_engine: Engine) -> None:
    with begin_write(any_engine) as conn:
        assert offplan.active_plan(conn, ["revenue"], SEP, NOV) is None
        _plan(conn, 1000.0, activate=False)
        assert offplan.active_plan(conn, ["revenue"], SEP, NOV) is None  # not active
        _plan(conn, 1200.0)
        found = offplan.active_plan(conn, ["revenue", "gross_churn"], SEP, NOV)
    assert found is not None
    assert found.label == "Budget v2"
    assert found.monthly == {"revenue": {SEP: 1200.0, OCT: 1200.0}}
