"""Supply overview: COGS breakdown by component, COGS variance, lead time, inventory turns."""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.metrics.domain import breakdown, read_period, tile
from execdash.metrics.models import Breakdown, SupplyOverview, Timeframe
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window


def cogs_breakdown(conn: sa.Connection) -> Breakdown:
    """Σ supply_cogs_breakdown.cost by component with shares (the table has no dates)."""
    t = s.supply_cogs_breakdown
    rows = conn.execute(sa.select(t.c.component, sa.func.sum(t.c.cost)).group_by(t.c.component))
    return breakdown("component", "cost", "currency", [(r[0], float(r[1] or 0)) for r in rows])


def overview(conn: sa.Connection, window: Window) -> SupplyOverview:
    """Supply KPI tiles, series and the COGS breakdown for `window`."""
    variance, w1 = read_period(conn, "supply_cogs_variance", "variance_pct", window, rate=True)
    lead, _ = read_period(conn, "supply_lead_time", "lead_time_days", window)
    turns, _ = read_period(conn, "supply_inventory_turns", "turns_per_year", window)
    tiles = [
        tile(window, "cogs_variance", "COGS variance", "ratio", variance,
             "Day-weighted mean of supply_cogs_variance.variance_pct", good="down", warnings=w1),
        tile(window, "lead_time", "Lead time", "days", lead,
             "Day-weighted mean of supply_lead_time.lead_time_days", good="down"),
        tile(window, "inventory_turns", "Inventory turns", "per_year", turns,
             "Day-weighted mean of supply_inventory_turns.turns_per_year"),
    ]  # fmt: skip
    return SupplyOverview(
        domain="supply",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=[
            build_series(window, "cogs_variance", "COGS variance", "ratio", variance),
            build_series(window, "lead_time", "Lead time", "days", lead),
            build_series(window, "inventory_turns", "Inventory turns", "per_year", turns),
        ],
        warnings=w1,
        cogs_breakdown=cogs_breakdown(conn),
    )
