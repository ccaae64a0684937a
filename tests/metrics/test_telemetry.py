"""Telemetry overview: utilisation and consumption are rates, active devices a stock."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import telemetry
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, months


def test_telemetry_by_quarter(any_engine: Engine, put: Put) -> None:
    keys = months("2025-01", 6)
    put(
        "telemetry_active_devices",
        [{"period": m, "active_devices": 100 + i} for i, m in enumerate(keys)],
    )
    put("telemetry_utilization", [{"period": m, "avg_hours_per_device": 10.0} for m in keys])
    put("telemetry_consumption", [{"period": "2025-02", "grams_per_cycle": 12.0}])
    with any_engine.connect() as conn:
        result = telemetry.overview(conn, resolve_window("6m", "quarter", "2025-06"))
    series = {s.key: s for s in result.series}
    assert [p.value for p in series["active_devices"].points] == [102.0, 105.0]
    assert series["utilization"].total == pytest.approx(10.0)
    assert [p.value for p in series["consumption"].points] == [12.0, None]
    tiles = {k.key: k for k in result.kpis}
    assert tiles["active_devices"].value == 105.0
    assert tiles["active_devices"].previous is None


def test_telemetry_overview_shows_every_tile_and_series_as_the_user_reads_them(
    any_engine: Engine, put: Put
) -> None:
    # Window 3m ending 2025-06 = Apr–Jun 2025; previous window Jan–Mar 2025.
    put(
        "telemetry_utilization",
        [
            {"period": "2025-02", "avg_hours_per_device": 8.0},
            {"period": "2025-04", "avg_hours_per_device": 10.0},
            {"period": "2025-05", "avg_hours_per_device": 12.0},
        ],
    )
    put(
        "telemetry_consumption",
        [
            {"period": "2025-03", "grams_per_cycle": 15.0},
            {"period": "2025-06", "grams_per_cycle": 12.0},
        ],
    )
    put(
        "telemetry_active_devices",
        [
            {"period": "2025-03", "active_devices": 90},
            {"period": "2025-04", "active_devices": 100},
            {"period": "2025-05", "active_devices": 105},
        ],
    )
    with any_engine.connect() as conn:
        result = telemetry.overview(conn, resolve_window("3m", "month", "2025-06"))
    utilisation = (10.0 * 30 + 12.0 * 31) / 61  # April has 30 days, May 31
    assert (result.domain, result.warnings) == ("telemetry", [])
    assert [
        (k.key, k.label, k.unit, k.value, k.previous, k.good_direction, k.provenance.formula)
        for k in result.kpis
    ] == [
        ("utilization", "Utilisation", "hours", pytest.approx(utilisation), 8.0, "up",
         "Day-weighted mean of telemetry_utilization.avg_hours_per_device"),
        ("consumption", "Consumption per cycle", "grams", 12.0, 15.0, "down",
         "Day-weighted mean of telemetry_consumption.grams_per_cycle"),
        # A stock is the window's last month: June has no row, so no value (not May's 105).
        ("active_devices", "Active devices", "count", None, 90.0, "up",
         "telemetry_active_devices.active_devices at the window's last month"),
    ]  # fmt: skip
    assert [k.provenance.months for k in result.kpis] == [
        ["2025-04", "2025-05"],
        ["2025-06"],
        ["2025-04", "2025-05"],
    ]
    assert [(s.key, s.label, s.unit, [p.value for p in s.points]) for s in result.series] == [
        ("utilization", "Utilisation", "hours", [10.0, 12.0, None]),
        ("consumption", "Consumption per cycle", "grams", [None, None, 12.0]),
        ("active_devices", "Active devices", "count", [100.0, 105.0, None]),
    ]
