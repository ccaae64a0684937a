"""The plan beside an answer's KPIs costs no second read of the facts, and changes no number:
inside `reading_once` every KPI, comparison and drill-down equals the one computed with separate
reads (the way before the facts were shared)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.api.routes.domains import COMPARING, DOMAINS
from execdash.demo.plans import write_plans
from execdash.metrics import drilldown, executive, finance
from execdash.metrics.windows import Window, resolve_window
from execdash.plans import attach
from execdash.plans.compare import compare_kpi

LATEST = dt.date(2026, 10, 1)
WINDOWS = [
    ("12m", "month", "2026-10", 1, "previous"),
    ("12m", "quarter", "2026-05", 1, "previous"),
    ("3m", "month", "2026-02", 1, "last_year"),
    ("ytd", "quarter", "2026-09", 4, "previous"),
    ("24m", "quarter", "2026-10", 7, "last_year"),
]


@pytest.fixture
def planned(demo_engine: Engine) -> Engine:
    """The demo company with its budget and its active reforecast."""
    write_plans(demo_engine, LATEST)
    return demo_engine


def _window(spec: tuple[str, str, str, int, str]) -> Window:
    range_key, granularity, as_of, fiscal_start, compare = spec
    return resolve_window(
        range_key, granularity, as_of, LATEST, fiscal_start=fiscal_start, compare=compare
    )


def _separately(conn: sa.Connection, window: Window) -> list[object]:
    """The KPIs and their comparisons from two reads of their own (the old computation)."""
    facts, warnings = executive.fetch_facts(conn, window)
    found = attach.active_targets(conn)
    assert found is not None
    ref, targets = found
    plan_facts = attach.plan_facts(conn, window, targets)
    return [
        k.model_copy(update={"plan": compare_kpi(k, window, plan_facts, targets, ref,
                                                 window.fiscal_start)})
        if k.key in attach.COMPARED else k
        for k in executive.kpis_from_facts(window, facts, warnings)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "spec", WINDOWS, ids=[f"{w[0]}-{w[1]}-{w[2]}-fy{w[3]}-{w[4]}" for w in WINDOWS]
)
def test_kpis_with_plan_read_once_equal_separate_reads(
    planned: Engine, spec: tuple[str, str, str, int, str]
) -> None:
    window = _window(spec)
    with planned.connect() as conn:
        expected = _separately(conn, window)
        with attach.reading_once(conn, window):
            got = attach.with_plan(conn, window, executive.kpis(conn, window, fresh=True))
    assert [k.model_dump() for k in got] == [k.model_dump() for k in expected]  # type: ignore[attr-defined]
    assert all(k.plan is not None for k in got if k.key in attach.COMPARED)


@pytest.mark.parametrize("key", ["revenue", "payback", "forecast", "uptime"])
def test_drilldown_with_plan_read_once_equals_separate_reads(planned: Engine, key: str) -> None:
    window = _window(("12m", "quarter", "2026-08", 4, "previous"))
    with planned.connect() as conn:
        expected = attach.with_drill_plan(conn, window, drilldown.drilldown(conn, window, key))
        with attach.reading_once(conn, window):
            got = attach.with_drill_plan(conn, window, drilldown.drilldown(conn, window, key))
    assert got.model_dump() == expected.model_dump()
    assert got.kpi.plan is not None


def test_finance_page_with_plan_read_once_equals_separate_reads(planned: Engine) -> None:
    window = _window(("6m", "month", "2026-07", 1, "last_year"))
    with planned.connect() as conn:
        page = finance.overview(conn, window)
        expected = attach.with_plan(conn, window, page.kpis)
        with attach.reading_once(conn, window):
            got = attach.with_plan(conn, window, finance.overview(conn, window).kpis)
    assert [k.model_dump() for k in got] == [k.model_dump() for k in expected]


def test_an_answer_with_a_plan_reads_the_facts_once(planned: Engine) -> None:
    window = _window(("12m", "month", "2026-06", 1, "previous"))
    reads: list[str] = []

    def count(*args: object) -> None:
        statement = str(args[2])
        if "revenue_trend" in statement and "booked" in statement:
            reads.append(statement)

    with planned.connect() as conn:
        sa.event.listen(planned, "before_cursor_execute", count)
        try:
            with attach.reading_once(conn, window):
                attach.with_plan(conn, window, executive.kpis(conn, window, fresh=True))
                attach.plan_lines(conn, window)
        finally:
            sa.event.remove(planned, "before_cursor_execute", count)
    assert len(reads) == 1


def test_comparing_names_exactly_the_domains_showing_a_planned_kpi(planned: Engine) -> None:
    window = _window(("12m", "month", "2026-10", 1, "previous"))
    with planned.connect() as conn:
        shown = {
            name
            for name, _, build, _ in DOMAINS
            if any(k.key in attach.COMPARED for k in build(conn, window).kpis)
        }
    assert shown == COMPARING
