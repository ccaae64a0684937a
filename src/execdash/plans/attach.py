"""The active plan put beside the numbers of a window: on KPI tiles, as chart lines and as the
drill-down's months furthest off plan. SQL here, the math in `compare`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa

from execdash.metrics import shared_facts
from execdash.metrics.comparisons import PLAN
from execdash.metrics.executive import facts_start, fetch_facts
from execdash.metrics.formulas import KPI_DEFS, Facts
from execdash.metrics.models import Kpi, KpiDrilldown, Series
from execdash.metrics.windows import Window, add_months
from execdash.plans import store
from execdash.plans.aggregate import company_targets
from execdash.plans.catalog import PLANNABLE
from execdash.plans.compare import (
    PlanRef,
    against_plan,
    compare_kpi,
    needed_windows,
    off_plan,
    plan_series,
)

Targets = dict[str, dict[dt.date, float]]
COMPARED = frozenset(PLANNABLE) | {"forecast"}
"""KPIs a plan is shown on: every plannable one, and the forecast (against the revenue plan)."""
HISTORY_MONTHS = 24
"""The landing forecasts from at least this window's facts (48 months back with its previous)."""


def fiscal_start_of(window: Window) -> int:
    """The window's fiscal year start month (January until the fiscal calendar says otherwise)."""
    return int(getattr(window, "fiscal_start", 1))


_READ: ContextVar[tuple[sa.Connection, tuple[PlanRef, Targets] | None] | None] = ContextVar(
    "execdash_active_targets", default=None
)
"""The active plan as `reading_once` read it, for the rest of the answer."""


def active_targets(conn: sa.Connection) -> tuple[PlanRef, Targets] | None:
    """The active plan and its company-level targets by KPI and month, or None."""
    read = _READ.get()
    if read is not None and read[0] is conn:
        return read[1]
    ref = store.active_plan(conn)
    if ref is None:
        return None
    kinds = {k: p.kind for k, p in PLANNABLE.items()}
    return ref, company_targets(store.rows_of(conn, ref.id), kinds)


def plan_facts(
    conn: sa.Connection, window: Window, targets: Targets, *, also_for: Window | None = None
) -> Facts:
    """The monthly facts a comparison needs: the window's and enough history to forecast from
    (with `also_for`, everything that window's own KPIs need too, for them to reuse)."""
    history = Window(
        "24m", "month", add_months(window.end_month, 1 - HISTORY_MONTHS), window.end_month
    )
    subs = needed_windows(window, targets, fiscal_start_of(window))
    if window.start_month < history.start_month:
        subs.append(Window(window.range_key, "month", window.start_month, window.end_month))
    since = None
    if also_for is not None:
        subs += [also_for, also_for.previous()]
        since = facts_start(also_for)
    facts, _ = fetch_facts(conn, history, subs, since=since)
    return facts


@contextmanager
def reading_once(conn: sa.Connection, window: Window, *, compared: bool = True) -> Iterator[None]:
    """One answer's block in which its KPIs and their plan comparison share one read of the
    facts: with an active plan (and `compared`: the answer shows a KPI a plan is compared on),
    the facts both need are read first, then reused."""
    with shared_facts.sharing():
        if not compared:
            yield
            return
        found = active_targets(conn)
        token = _READ.set((conn, found))
        try:
            if found is not None:
                plan_facts(conn, window, found[1], also_for=window)
            yield
        finally:
            _READ.reset(token)


def no_plan(kpi: Kpi) -> Kpi:
    """`kpi` measured against a plan that has no target for it: no previous value, no change."""
    coverage = kpi.coverage
    if coverage is not None:
        coverage = coverage.model_copy(update={"previous": 0, "previous_complete": False})
    return kpi.model_copy(
        update={
            "previous": None,
            "change": None,
            "delta": None,
            "direction": "flat",
            "favourable": None,
            "comparable": False,
            "coverage": coverage,
        }
    )


def as_compared(window: Window, kpis: list[Kpi]) -> list[Kpi]:
    """With `compare=plan`, each KPI's change measured against its plan (none without a target);
    other comparisons leave `kpis` as they are."""
    if window.comparison != PLAN:
        return kpis
    return [against_plan(k) if k.plan is not None else no_plan(k) for k in kpis]


def with_plan(conn: sa.Connection, window: Window, kpis: list[Kpi]) -> list[Kpi]:
    """`kpis` with their comparison against the active plan (unchanged without one), and with
    `compare=plan` their change measured against it."""
    found = active_targets(conn)
    if found is None or not any(k.key in COMPARED for k in kpis):
        return as_compared(window, kpis)
    ref, targets = found
    facts = plan_facts(conn, window, targets)
    start = fiscal_start_of(window)
    planned = [
        k.model_copy(update={"plan": compare_kpi(k, window, facts, targets, ref, start)})
        if k.key in COMPARED
        else k
        for k in kpis
    ]
    return as_compared(window, planned)


SERIES_OF = {"revenue": "recognized"}
"""The chart series a KPI's plan is drawn against, where its key differs from the KPI's."""


def plan_lines(
    conn: sa.Connection, window: Window, series_keys: frozenset[str] | None = None
) -> list[Series]:
    """The active plan per period of the window, one series per planned KPI keyed `plan_<series
    key>` (`plan_recognized` for revenue); only those drawn against `series_keys` when given."""
    found = active_targets(conn)
    if found is None:
        return []
    ref, targets = found
    lines = []
    for key in PLANNABLE:
        drawn = SERIES_OF.get(key, key)
        if targets.get(key) and (series_keys is None or drawn in series_keys):
            line = plan_series(window, key, targets, ref)
            lines.append(line.model_copy(update={"key": f"plan_{drawn}"}))
    return lines


def with_drill_plan(conn: sa.Connection, window: Window, drill: KpiDrilldown) -> KpiDrilldown:
    """A drill-down with its KPI against the plan, the plan line and the months off plan."""
    if drill.key not in COMPARED:
        return drill
    found = active_targets(conn)
    if found is None:
        return drill.model_copy(update={"kpi": as_compared(window, [drill.kpi])[0]})
    ref, targets = found
    facts = plan_facts(conn, window, targets)
    kpi = drill.kpi.model_copy(
        update={
            "plan": compare_kpi(drill.kpi, window, facts, targets, ref, fiscal_start_of(window))
        }
    )
    line = plan_series(window, drill.key, targets, ref)
    good = next(d[3] for d in KPI_DEFS if d[0] == drill.key)
    actual = drill.actuals if drill.key == "forecast" and drill.actuals else drill.series
    if drill.key == "forecast":
        line = plan_series(
            Window(window.range_key, "month", window.start_month, window.end_month),
            drill.key,
            targets,
            ref,
        )
    rows = off_plan(actual, line, "revenue" if drill.key == "forecast" else drill.key, good)
    kpi = as_compared(window, [kpi])[0]
    return drill.model_copy(update={"kpi": kpi, "plan_series": line, "off_plan": rows})
