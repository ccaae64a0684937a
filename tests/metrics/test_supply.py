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


def test_supply_overview_shows_every_tile_and_series_as_the_user_reads_them(
    any_engine: Engine, put: Put
) -> None:
    # Window 3m ending 2025-05 = Mar–May 2025; previous window Dec 2024–Feb 2025.
    put(
        "supply_cogs_variance",
        [
            {"period": "2025-01", "variance_pct": 0.02},
            {"period": "2025-04", "variance_pct": 0.01},
            {"period": "2025-05", "variance_pct": 3},  # a percent in a 0–1 column: 0.03
        ],
    )
    put(
        "supply_lead_time",
        [{"period": "2025-02", "lead_time_days": 40}, {"period": "2025-05", "lead_time_days": 30}],
    )
    put("supply_inventory_turns", [{"period": "2025-02", "turns_per_year": 6}])
    with any_engine.connect() as conn:
        result = supply.overview(conn, resolve_window("3m", "month", "2025-05"))
    variance = (0.01 * 30 + 0.03 * 31) / 61  # April has 30 days, May 31
    assert result.domain == "supply"
    assert [
        (k.key, k.label, k.unit, k.value, k.previous, k.good_direction, k.provenance.formula)
        for k in result.kpis
    ] == [
        ("cogs_variance", "COGS variance", "ratio", pytest.approx(variance), 0.02, "down",
         "Day-weighted mean of supply_cogs_variance.variance_pct"),
        ("lead_time", "Lead time", "days", 30.0, 40.0, "down",
         "Day-weighted mean of supply_lead_time.lead_time_days"),
        ("inventory_turns", "Inventory turns", "per_year", None, 6.0, "up",
         "Day-weighted mean of supply_inventory_turns.turns_per_year"),
    ]  # fmt: skip
    assert [(i.name, i.value, i.detail) for i in result.kpis[0].provenance.inputs] == [
        ("COGS variance", pytest.approx(variance), "2 months")
    ]
    assert [k.provenance.months for k in result.kpis] == [["2025-04", "2025-05"], ["2025-05"], []]
    warning = ("supply_cogs_variance", "variance_pct", "2025-05", 3.0)
    assert [(w.table, w.column, w.period, w.value) for w in result.warnings] == [warning]
    assert [[(w.table, w.column, w.period, w.value) for w in k.warnings] for k in result.kpis] == [
        [warning],
        [],
        [],
    ]
    assert [
        (s.key, s.label, s.unit, [p.value for p in s.points]) for s in result.series
    ] == [
        ("cogs_variance", "COGS variance", "ratio", [None, 0.01, 0.03]),
        ("lead_time", "Lead time", "days", [None, None, 30.0]),
        ("inventory_turns", "Inventory turns", "per_year", [None, None, None]),
    ]  # fmt: skip


def test_cogs_breakdown_names_its_dimension_and_measure_and_keeps_a_zero_cost_component(
    any_engine: Engine, put: Put
) -> None:
    put(
        "supply_cogs_breakdown",
        [
            {"component": "steel", "cost": 75},
            {"component": "chips", "cost": 25},
            {"component": "paint", "cost": 0},
        ],
    )
    with any_engine.connect() as conn:
        result = supply.cogs_breakdown(conn)
    assert (result.dimension, result.measure, result.unit, result.total) == (
        "component",
        "cost",
        "currency",
        100.0,
    )
    assert [(i.name, i.value, i.share) for i in result.items] == [
        ("steel", 75.0, 0.75),
        ("chips", 25.0, 0.25),
        ("paint", 0.0, 0.0),
    ]
