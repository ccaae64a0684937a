"""Supply overview: COGS breakdown with shares, variance, lead time and turns."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import supply
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put


def test_supply_overview(any_engine: Engine, put: Put) -> None:
    put(
        "supply_cogs_breakdown",
        [
            {"component": "steel", "cost": 60},
            {"component": "steel", "cost": 20},
            {"component": "chips", "cost": 20},
        ],
    )
    put(
        "supply_cogs_variance",
        [{"period": "2025-04", "variance_pct": 0.01}, {"period": "2025-05", "variance_pct": 3}],
    )
    put("supply_lead_time", [{"period": "2025-05", "lead_time_days": 30}])
    put("supply_inventory_turns", [{"period": "2025-02", "turns_per_year": 6}])
    with any_engine.connect() as conn:
        result = supply.overview(conn, resolve_window("3m", "month", "2025-05"))
    assert [(i.name, i.share) for i in result.cogs_breakdown.items] == [
        ("steel", pytest.approx(0.8)),
        ("chips", pytest.approx(0.2)),
    ]
    tiles = {k.key: k for k in result.kpis}
    assert tiles["cogs_variance"].value == pytest.approx((0.01 * 30 + 0.03 * 31) / 61)
    assert tiles["lead_time"].value == 30.0
    assert (tiles["inventory_turns"].value, tiles["inventory_turns"].previous) == (None, 6.0)
    assert result.warnings[0].period == "2025-05"
