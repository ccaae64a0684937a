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
