"""The sales funnel: daily Leads > MQL > SQL > Won, win rates, deals and website visits.

Visits are generated from leads (about 18–26 visits per lead), so visit→lead conversion sits
near 4–5%; the monthly win rate is exactly Σ Won / Σ SQL of that month's daily funnel.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from execdash.demo.calendar import Calendar, growth, season
from execdash.demo.names import DEAL_TYPES, PAGES
from execdash.demo.writer import BulkWriter

STAGES = ("Leads", "MQL", "SQL", "Won")
LEADS_PER_WEEKDAY = 20.0
SNAPSHOT_DAYS = 30


@dataclass
class Funnel:
    """Daily stage counts (one tuple per day) and the dip the marketing alert talks about."""

    daily: list[tuple[int, int, int, int]]
    dip_start: int
    dip_days: int


def simulate(rng: random.Random, cal: Calendar, dip_month: int, busy: float = 1.0) -> Funnel:
    """Draw the daily funnel (`busy` × the usual lead volume); a ten-day lead drop of ~45%
    starts mid `dip_month`."""
    dip_start = cal.first_day[dip_month] + 9
    dip_days = 10
    daily = []
    for m, month in enumerate(cal.months):
        base = LEADS_PER_WEEKDAY * busy * growth(m, 0.2) * season(month, 0.1, peak_month=3)
        for d in cal.month_days(m):
            weekday = cal.days[d].weekday()
            level = base * (0.4 if weekday >= 5 else 1.0) * (0.8 + 0.4 * rng.random())
            if dip_start <= d < dip_start + dip_days:
                level *= 0.55
            leads = max(round(level), 3)
            mql = min(max(round(leads * (0.30 + 0.12 * rng.random())), 2), leads - 1)
            sql = min(max(round(mql * (0.36 + 0.14 * rng.random())), 1), mql - 1)
            won = min(round(sql * (0.20 + 0.12 * rng.random())), sql - 1)
            daily.append((leads, mql, sql, won))
    return Funnel(daily, dip_start, dip_days)


def write(writer: BulkWriter, rng: random.Random, cal: Calendar, funnel: Funnel) -> None:
    """Write the daily funnel, the 30-day stage snapshot, monthly win rates, deals and visits."""
    rows = [
        (cal.day_iso[d], stage, counts[k])
        for d, counts in enumerate(funnel.daily)
        for k, stage in enumerate(STAGES)
    ]
    writer.write("pipeline_stages_daily", ("period", "stage_name", "value"), rows)
    recent = funnel.daily[-SNAPSHOT_DAYS:]
    writer.write(
        "pipeline_stages",
        ("stage_name", "value"),
        [(stage, sum(day[k] for day in recent)) for k, stage in enumerate(STAGES)],
    )
    months = len(cal.months)
    win_rows = []
    for m, period in enumerate(cal.periods):
        days = [funnel.daily[d] for d in cal.month_days(m)]
        won, sql = sum(d[3] for d in days), sum(d[2] for d in days)
        cycle = round(58 - 10 * m / months + rng.gauss(0, 2.5))
        win_rows.append((period, round(won / sql, 4), cycle))
    writer.write("pipeline_winrate", ("period", "win_rate_pct", "sales_cycle_days"), win_rows)
    names = [n for n, _ in DEAL_TYPES]
    weights = [w for _, w in DEAL_TYPES]
    total_won = sum(d[3] for d in funnel.daily)
    writer.write("deals", ("type",), [(t,) for t in rng.choices(names, weights, k=total_won)])
    _write_visits(writer, rng, cal, funnel)


def _write_visits(writer: BulkWriter, rng: random.Random, cal: Calendar, funnel: Funnel) -> None:
    """Page visits: 18–26 per lead each day, spread over the site's pages."""
    pages = [p for p, _ in PAGES]
    weights = [w for _, w in PAGES]
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    rows: list[tuple[str, str]] = []
    for d, counts in enumerate(funnel.daily):
        n = round(counts[0] * (18 + 8 * rng.random()))
        day = cal.day_iso[d]
        rows.extend(
            zip(itertools.repeat(day, n), rng.choices(pages, cum_weights=cum, k=n), strict=True)
        )
        if len(rows) >= 200_000:
            writer.write("page_visits", ("visit_date", "page_name"), rows)
            rows = []
    if rows:
        writer.write("page_visits", ("visit_date", "page_name"), rows)
