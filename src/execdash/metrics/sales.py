"""Sales overview: Leads → MQL → SQL → Won funnel, conversions, win rate, cycle, new customers."""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.metrics.domain import breakdown, count_by_month, ratio_tile, read_period, tile
from execdash.metrics.executive import pipeline_stage_by_month
from execdash.metrics.models import Breakdown, FunnelStage, SalesOverview, Timeframe
from execdash.metrics.queries import month_of
from execdash.metrics.series import aggregate, build_series, divide, ratio_series
from execdash.metrics.windows import Window, month_key

STAGES = ("Leads", "MQL", "SQL", "Won")


def funnel(counts: dict[str, float | None]) -> list[FunnelStage]:
    """Funnel stages with each stage's conversion from the one before (pure)."""
    out = []
    before: float | None = None
    for stage in STAGES:
        count = counts.get(stage)
        out.append(
            FunnelStage(
                stage=stage,
                count=int(count or 0),
                conversion=divide(count, before) if stage != "Leads" else None,
            )
        )
        before = count
    return out


def new_customers_by(conn: sa.Connection, window: Window, dimension: str) -> Breakdown:
    """Customers created in the window by industry or source (the new-customers tile, split)."""
    c = s.customers
    column = {"industry": c.c.industry, "source": c.c.source}[dimension]
    month = month_of(c.c.created_at)
    rows = conn.execute(
        sa.select(column, sa.func.count())
        .where(month >= month_key(window.start_month), month <= window.as_of)
        .group_by(column)
    )
    return breakdown(dimension, "new customers", "count", [(r[0], float(r[1])) for r in rows])


def overview(conn: sa.Connection, window: Window) -> SalesOverview:
    """Sales KPI tiles, funnel and series for `window`."""
    first, last = window.previous().start_date, window.end_date
    stages = {st: pipeline_stage_by_month(conn, st, first, last) for st in STAGES}
    win, w1 = read_period(conn, "pipeline_winrate", "win_rate_pct", window, rate=True)
    cycle, _ = read_period(conn, "pipeline_winrate", "sales_cycle_days", window)
    booked, _ = read_period(conn, "revenue_trend", "booked", window)
    new = count_by_month(conn, s.customers.c.created_at, window)
    keys = {"Leads": "leads", "MQL": "mql", "SQL": "sql", "Won": "won"}
    series = [build_series(window, keys[st], st, "count", stages[st]) for st in STAGES] + [
        ratio_series(window, "mql_per_lead", "Lead → MQL", stages["MQL"], stages["Leads"]),
        ratio_series(window, "sql_per_mql", "MQL → SQL", stages["SQL"], stages["MQL"]),
        ratio_series(window, "won_per_sql", "SQL → Won", stages["Won"], stages["SQL"]),
        build_series(window, "win_rate", "Win rate", "ratio", win),
        build_series(window, "sales_cycle", "Sales cycle", "days", cycle),
        build_series(window, "new_customers", "New customers", "count", new),
        ratio_series(window, "avg_deal", "Average deal size", booked, stages["Won"], "currency"),
    ]
    tiles = [
        tile(window, "leads", "Leads", "count", stages["Leads"],
             "Σ pipeline_stages_daily.value of stage Leads in the window"),
        tile(window, "mql", "MQL", "count", stages["MQL"],
             "Σ pipeline_stages_daily.value of stage MQL in the window"),
        tile(window, "sql", "SQL", "count", stages["SQL"],
             "Σ pipeline_stages_daily.value of stage SQL in the window"),
        tile(window, "won", "Won", "count", stages["Won"],
             "Σ pipeline_stages_daily.value of stage Won in the window"),
        ratio_tile(window, "lead_to_won", "Lead → Won", stages["Won"], stages["Leads"],
                   "Σ Won / Σ Leads over the window"),
        tile(window, "win_rate", "Win rate", "ratio", win,
             "Day-weighted mean of pipeline_winrate.win_rate_pct", warnings=w1),
        tile(window, "sales_cycle", "Sales cycle", "days", cycle,
             "Day-weighted mean of pipeline_winrate.sales_cycle_days", good="down"),
        tile(window, "new_customers", "New customers", "count", new,
             "Customers whose created_at falls in the window"),
        ratio_tile(window, "avg_deal", "Average deal size", booked, stages["Won"],
                   "Σ revenue_trend.booked / Σ Won deals over the window (the forecast's "
                   "mean won deal size)", unit="currency"),
    ]  # fmt: skip
    counts = {st: aggregate("flow", stages[st], window.months) for st in STAGES}
    return SalesOverview(
        domain="sales",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=series,
        warnings=w1,
        funnel=funnel(counts),
    )
