"""Marketing & feedback overview: visits, visit→lead, NPS, CSAT, feedback counts, customer mix."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.metrics.domain import breakdown, count_by_month, ratio_tile, tile
from execdash.metrics.executive import pipeline_stage_by_month
from execdash.metrics.models import Breakdown, FeedbackOverview, Timeframe
from execdash.metrics.queries import by_month, dated_in, month_of
from execdash.metrics.series import build_series, ratio_series
from execdash.metrics.windows import Window, add_months, month_key

PROMOTER_FROM = 9
DETRACTOR_TO = 6


def score_stats(
    conn: sa.Connection, aspect: str, window: Window
) -> dict[dt.date, tuple[float, float, float, float]]:
    """Per month: responses, Σ score, promoters and detractors of one feedback aspect."""
    f = s.feedback_scores
    month = month_of(f.c.created_at)
    query = (
        sa.select(
            month,
            sa.func.count(),
            sa.func.sum(f.c.score),
            sa.func.sum(sa.case((f.c.score >= PROMOTER_FROM, 1), else_=0)),
            sa.func.sum(sa.case((f.c.score <= DETRACTOR_TO, 1), else_=0)),
        )
        .where(
            sa.func.lower(f.c.aspect) == aspect,
            month >= month_key(window.previous().start_month),
            month <= window.as_of,
        )
        .group_by(month)
    )
    out = {}
    for key, n, total, promoters, detractors in conn.execute(query):
        for m in by_month([(str(key), 0.0)]):
            out[m] = (float(n), float(total or 0), float(promoters or 0), float(detractors or 0))
    return out


def _counts(
    conn: sa.Connection,
    column: sa.ColumnElement[object],
    date: sa.ColumnElement[object],
    window: Window,
    dimension: str,
    measure: str,
) -> Breakdown:
    month = month_of(date)
    rows = conn.execute(
        sa.select(column, sa.func.count())
        .where(month >= month_key(window.start_month), month <= window.as_of)
        .group_by(column)
    )
    return breakdown(dimension, measure, "count", [(str(r[0]), float(r[1])) for r in rows])


def customer_mix(conn: sa.Connection, column: str, window: Window) -> Breakdown:
    """Customers created up to the window's end, by industry or source (allow-listed)."""
    c = s.customers
    col = {"industry": c.c.industry, "source": c.c.source}[column]
    rows = conn.execute(
        sa.select(col, sa.func.count())
        .where(sa.or_(c.c.created_at.is_(None), c.c.created_at < add_months(window.end_month, 1)))
        .group_by(col)
    )
    return breakdown(column, "customers", "count", [(r[0], float(r[1])) for r in rows])


def visits_by_month(conn: sa.Connection, window: Window) -> dict[dt.date, float]:
    """Page visits per month of the window and the previous one, from the daily rollup if ready."""
    r = t.rollup_page_visits_day
    if not rollups.is_ready(conn, rollups.by_target(r.name)):
        return count_by_month(conn, s.page_visits.c.visit_date, window)
    month = sa.func.substr(r.c.day, 1, 7)
    rows = conn.execute(
        sa.select(month, sa.func.sum(r.c.visits))
        .where(
            r.c.day >= window.previous().start_date.isoformat(),
            r.c.day <= window.end_date.isoformat(),
        )
        .group_by(month)
    )
    return by_month([(str(k), float(v or 0)) for k, v in rows])


def overview(conn: sa.Connection, window: Window) -> FeedbackOverview:
    """Marketing and feedback KPI tiles, series and breakdowns for `window`."""
    visits = visits_by_month(conn, window)
    leads = pipeline_stage_by_month(conn, "Leads", window.previous().start_date, window.end_date)
    nps_stats = score_stats(conn, "nps", window)
    net = {m: p - d for m, (_, _, p, d) in nps_stats.items()}
    responses = {m: n for m, (n, _, _, _) in nps_stats.items()}
    csat_stats = score_stats(conn, "csat", window)
    csat_sum = {m: t for m, (_, t, _, _) in csat_stats.items()}
    csat_n = {m: n for m, (n, _, _, _) in csat_stats.items()}
    tiles = [
        tile(window, "page_visits", "Page visits", "count", visits,
             "page_visits rows dated in the window"),
        ratio_tile(window, "visit_to_lead", "Visit → lead", leads, visits,
                   "Σ Leads (pipeline_stages_daily) / Σ page visits over the window"),
        ratio_tile(window, "nps", "NPS", net, responses,
                   "(promoters 9–10 − detractors 0–6) / responses, feedback_scores aspect NPS",
                   unit="score"),
        ratio_tile(window, "csat", "CSAT", csat_sum, csat_n,
                   "Mean feedback_scores.score where aspect is CSAT (scale as stored)",
                   unit="score"),
    ]  # fmt: skip
    p, f = s.product_feedback, s.feedback
    return FeedbackOverview(
        domain="feedback",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=[
            build_series(window, "page_visits", "Page visits", "count", visits),
            ratio_series(window, "visit_to_lead", "Visit → lead", leads, visits),
            ratio_series(window, "nps", "NPS", net, responses, unit="score"),
            ratio_series(window, "csat", "CSAT", csat_sum, csat_n, unit="score"),
        ],
        warnings=[],
        feedback_by_type=_counts(conn, p.c.type, p.c.created_at, window, "type", "feedback"),
        feedback_by_category=_counts(
            conn, p.c.category, p.c.created_at, window, "category", "feedback"
        ),
        customer_feedback_by_type=_counts(
            conn, f.c.type, f.c.created_at, window, "type", "feedback"
        ),
        customers_by_industry=customer_mix(conn, "industry", window),
        customers_by_source=customer_mix(conn, "source", window),
    )


def visits_by_page(conn: sa.Connection, window: Window) -> Breakdown:
    """Page visits dated in the window by page (the visits tile, split)."""
    p = s.page_visits
    rows = conn.execute(
        sa.select(p.c.page_name, sa.func.count())
        .where(*dated_in(p.c.visit_date, window.start_date, window.end_date))
        .group_by(p.c.page_name)
    )
    return breakdown("page", "page visits", "count", [(r[0], float(r[1])) for r in rows])


def nps_buckets(scores: list[tuple[float, float]]) -> list[tuple[str, float]]:
    """Responses per NPS bucket from (score, responses) pairs, in scale order (pure)."""
    names = ("Detractors (0-6)", "Passives (7-8)", "Promoters (9-10)")
    counts = dict.fromkeys(names, 0.0)
    for score, n in scores:
        if score <= DETRACTOR_TO:
            counts[names[0]] += n
        elif score >= PROMOTER_FROM:
            counts[names[2]] += n
        else:
            counts[names[1]] += n
    return list(counts.items())


def score_buckets(conn: sa.Connection, aspect: str, window: Window) -> Breakdown:
    """NPS responses by detractor/passive/promoter, or CSAT responses by score, in the window."""
    f = s.feedback_scores
    month = month_of(f.c.created_at)
    rows = conn.execute(
        sa.select(f.c.score, sa.func.count())
        .where(
            sa.func.lower(f.c.aspect) == aspect,
            month >= month_key(window.start_month),
            month <= window.as_of,
        )
        .group_by(f.c.score)
    )
    scores = sorted((float(r[0]), float(r[1])) for r in rows)
    if aspect == "nps":
        dimension, named = "bucket", nps_buckets(scores) if scores else []
    else:
        dimension, named = "score", [(f"{v:g}★", n) for v, n in scores]
    found = breakdown(dimension, "responses", "count", named, top=max(len(named), 1))
    order = {name: i for i, (name, _) in enumerate(named)}
    return found.model_copy(update={"items": sorted(found.items, key=lambda i: order[i.name])})
