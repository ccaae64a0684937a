"""The ten executive KPIs for a window: fetch the monthly facts once, then compute each KPI twice.

Usage: `kpis(conn, resolve_window("12m", "month", None, latest_month(conn)))`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db import tables as t
from execdash.metrics import kpi_store, shared_facts
from execdash.metrics.forecast import Forecast
from execdash.metrics.formulas import KPI_DEFS, NEEDS, Facts, Result
from execdash.metrics.models import (
    Coverage,
    DataQualityWarning,
    ForecastDetail,
    Kpi,
    Provenance,
)
from execdash.metrics.queries import (
    RECURRING_TYPES,
    by_month,
    dated_in,
    expenses_by_month,
    month_of,
    new_recurring_mrr_many,
    orders_by_month,
    period_column,
    use_rollup,
)
from execdash.metrics.rates import normalise_rows
from execdash.metrics.tiles import make_kpi
from execdash.metrics.windows import Window, add_months, month_end, month_key, parse_month

SOURCE_TABLES = frozenset(
    {
        "revenue_trend",
        "ops_uptime",
        "retention_nrr",
        "orders",
        "expenses",
        "pipeline_stages_daily",
        "pipeline_winrate",
        "customers",
    }
)
"""The seed tables the ten KPIs read (their rollups follow these)."""


def pipeline_stage_by_month(
    conn: sa.Connection, stage: str, start: dt.date, end: dt.date
) -> dict[dt.date, float]:
    """Σ pipeline_stages_daily.value of one stage dated in `[start, end]`, by month (from the
    monthly rollup for whole months once it is ready)."""
    r = t.rollup_pipeline_month
    if use_rollup(conn, r, start, end):
        rows = conn.execute(
            sa.select(r.c.month, r.c.value).where(
                r.c.stage_name == stage,
                r.c.month >= month_key(start),
                r.c.month <= month_key(end),
            )
        )
        return by_month([(str(k), float(v or 0)) for k, v in rows])
    p = s.pipeline_stages_daily
    month = month_of(p.c.period)
    query = (
        sa.select(month, sa.func.sum(p.c.value))
        .where(p.c.stage_name == stage, *dated_in(p.c.period, start, end))
        .group_by(month)
    )
    return by_month([(str(k), float(v or 0)) for k, v in conn.execute(query)])


def facts_start(window: Window) -> dt.date:
    """The first month `fetch_facts` reads the ranged facts of `window` from."""
    return min(window.previous().start_month, add_months(window.end_month, -5))


def fetch_facts(
    conn: sa.Connection,
    window: Window,
    sub_windows: Sequence[Window] = (),
    *,
    since: dt.date | None = None,
    key: str | None = None,
) -> tuple[Facts, list[DataQualityWarning]]:
    """Every monthly aggregate the ten KPIs need for `window`, its previous window and the
    `sub_windows` inside it (the periods of a drill-down); `since` reads from an earlier month
    too (for a later call of the same answer, see `shared_facts`). With `key`, only what that
    KPI reads (`formulas.NEEDS`): the other fields stay empty, unless the answer kept them all."""
    first = facts_start(window) if since is None else min(since, facts_start(window))
    kept = shared_facts.find(conn, window.end_month, first)
    if kept is None:
        fields = None if key is None else NEEDS[key]
        facts, warnings = read_facts(conn, window.end_month, first, fields)
        kept = (
            shared_facts.keep(conn, window.end_month, first, facts, warnings)
            if fields is None  # only a full read serves the answer's later calls
            else shared_facts.Kept(conn, window.end_month, first, facts, warnings)
        )
        if fields is not None and "new_mrr" not in fields:
            return shared_facts.narrowed(kept, first)
    asked = {(w.start_month, w.end_month): w for w in (window, window.previous(), *sub_windows)}
    missing = [w for span, w in asked.items() if span not in kept.facts.new_mrr]
    if missing:
        new_mrr = new_recurring_mrr_many(
            conn, [(w.end_month, w.start_date, w.end_date) for w in missing]
        )
        for w in missing:
            kept.facts.new_mrr[(w.start_month, w.end_month)] = new_mrr[
                (w.end_month, w.start_date, w.end_date)
            ]
    return shared_facts.narrowed(kept, first)


def read_facts(
    conn: sa.Connection,
    end_month: dt.date,
    first: dt.date,
    fields: frozenset[str] | None = None,
) -> tuple[Facts, list[DataQualityWarning]]:
    """The monthly facts up to `end_month` (ranged ones from `first`), without new MRR; only
    `fields` (all when None), the others left empty."""

    def wanted(*names: str) -> bool:
        return fields is None or any(name in fields for name in names)

    last_day = month_end(end_month)
    warnings: list[DataQualityWarning] = []
    f = Facts()
    if wanted("recognized"):
        f.recognized = by_month(period_column(conn, "revenue_trend", "recognized", None, end_month))
    if wanted("booked"):
        f.booked = by_month(period_column(conn, "revenue_trend", "booked", first, end_month))
    if wanted("backlog"):
        f.backlog = by_month(period_column(conn, "revenue_trend", "backlog", first, end_month))
    if wanted("uptime"):
        f.uptime, found = _rates(conn, "ops_uptime", "uptime", first, end_month)
        warnings += found
    retention = wanted("nrr", "gross_churn", "expansion")
    if retention:
        f.nrr, found = _rates(conn, "retention_nrr", "nrr", None, end_month, nrr=True)
        warnings += found
    if wanted("win_rate"):
        f.win_rate, found = _rates(conn, "pipeline_winrate", "win_rate_pct", first, end_month)
        warnings += found
    if retention:  # after the win rate's, as the warnings have always been listed
        f.gross_churn, found = _rates(conn, "retention_nrr", "gross_churn", None, end_month)
        f.expansion, more = _rates(conn, "retention_nrr", "expansion", None, end_month)
        warnings += found + more
    if wanted("order_amount", "order_profit"):
        orders = orders_by_month(conn, first, last_day)
        f.order_amount = {m: a for m, (a, _) in orders.items()}
        f.order_profit = {m: p for m, (_, p) in orders.items()}
    if wanted("recurring_amount"):
        recurring = orders_by_month(conn, first, last_day, RECURRING_TYPES)
        f.recurring_amount = {m: a for m, (a, _) in recurring.items()}
    if wanted("expenses"):
        f.expenses = expenses_by_month(conn, first, last_day)
    if wanted("pipeline_sql"):
        f.pipeline_sql = pipeline_stage_by_month(conn, "SQL", first, last_day)
    if wanted("won_deals"):
        f.won_deals = pipeline_stage_by_month(conn, "Won", first, last_day)
    return f, warnings


def _rates(
    conn: sa.Connection,
    table: str,
    column: str,
    first: dt.date | None,
    end_month: dt.date,
    *,
    nrr: bool = False,
) -> tuple[dict[dt.date, float], list[DataQualityWarning]]:
    """A rate column by month, read as 0–1 (`rates.normalise_rows`), with its warnings."""
    rows, warnings = normalise_rows(
        period_column(conn, table, column, first, end_month), table, column, nrr=nrr
    )
    return by_month(list(rows.items())), warnings


def _warnings_for(key: str, warnings: list[DataQualityWarning]) -> list[DataQualityWarning]:
    tables = {"uptime": "ops_uptime", "nrr": "retention_nrr", "forecast": "pipeline_winrate"}
    return [w for w in warnings if tables.get(key) == w.table]


def coverage(window: Window, now: Result, before: Result) -> Coverage:
    """Months with data of a KPI on the window and on its previous window."""
    prev = window.previous()
    (needed, current), (needed_before, previous) = now.cover, before.cover
    return Coverage(
        months=needed,
        current=current,
        previous=previous,
        complete=current == needed,
        previous_complete=previous == needed_before,
        previous_start_month=month_key(prev.start_month),
        previous_end_month=month_key(prev.end_month),
        compare=window.comparison,
    )


def basis(key: str, window: Window, now: Result) -> str | None:
    """What the value is measured over when that is not simply the window."""
    end = f"{window.end_month:%b %Y}"
    if key == "nrr":
        if not now.months:
            return None
        return f"trailing 12 months to {parse_month(now.months[0], 'period'):%b %Y}"
    if key in ("backlog", "arr"):
        return f"at the end of {end}"
    if key == "coverage_months":
        return f"backlog ÷ 6-month mean revenue to {end}"
    return None


def kpis_from_facts(
    window: Window, facts: Facts, warnings: list[DataQualityWarning] | None = None
) -> list[Kpi]:
    """The ten KPIs on `window` with deltas against its previous window (pure)."""
    return [kpi_from_facts(window, facts, d[0], warnings) for d in KPI_DEFS]


def kpi_from_facts(
    window: Window, facts: Facts, key: str, warnings: list[DataQualityWarning] | None = None
) -> Kpi:
    """KPI `key` on `window` with its delta against the previous window (pure): a drill-down
    needs one, and the forecast's fit is the costliest of the ten."""
    _, label, unit, good, formula = next(d for d in KPI_DEFS if d[0] == key)
    now = formula(window, facts)
    before = formula(window.previous(), facts)
    detail = None
    if key == "forecast":
        fc = now.extra["forecast"]
        assert isinstance(fc, Forecast)
        month = now.extra["month"]
        assert isinstance(month, dt.date)
        estimate = now.extra["pipeline_estimate"]
        detail = ForecastDetail(
            method=fc.method,
            month=month_key(month),
            value=fc.value,
            lower=fc.lower,
            upper=fc.upper,
            interval=0.8 if fc.method == "holt_damped" else None,
            history_months=fc.history,
            alpha=fc.alpha,
            beta=fc.beta,
            phi=fc.phi,
            pipeline_estimate=estimate if isinstance(estimate, float) else None,
        )
    return make_kpi(
        key,
        label,
        unit,
        now.value,
        before.value,
        Provenance(formula=now.formula, inputs=now.inputs, months=now.months),
        good=good,
        warnings=_warnings_for(key, warnings or []),
        forecast=detail,
        coverage=coverage(window, now, before),
        basis=basis(key, window, now),
    )


def kpis(conn: sa.Connection, window: Window, *, fresh: bool = False) -> list[Kpi]:
    """The ten executive KPIs on `window` (every value null on an empty database).

    The default window's answer, computed by the last data change, is read back unless `fresh`.
    """
    if not fresh:
        kept = kpi_store.stored(conn, window, SOURCE_TABLES)
        if kept is not None:
            return kept
    facts, warnings = fetch_facts(conn, window)
    return kpis_from_facts(window, facts, warnings)


def kpi(conn: sa.Connection, window: Window, key: str) -> Kpi:
    """One executive KPI by key (KeyError listing the valid keys for an unknown one)."""
    for item in kpis(conn, window):
        if item.key == key:
            return item
    raise KeyError(f"unknown KPI {key!r}; valid keys: " + ", ".join(d[0] for d in KPI_DEFS))
