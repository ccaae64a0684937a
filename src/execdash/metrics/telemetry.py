"""Telemetry overview: utilisation and consumption per cycle (rates), active devices (stock)."""

from __future__ import annotations

import sqlalchemy as sa

from execdash.metrics.domain import read_period, tile
from execdash.metrics.models import TelemetryOverview, Timeframe
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window


def overview(conn: sa.Connection, window: Window) -> TelemetryOverview:
    """Telemetry KPI tiles and series for `window`."""
    util, _ = read_period(conn, "telemetry_utilization", "avg_hours_per_device", window)
    cons, _ = read_period(conn, "telemetry_consumption", "grams_per_cycle", window)
    active, _ = read_period(conn, "telemetry_active_devices", "active_devices", window)
    tiles = [
        tile(window, "utilization", "Utilisation", "hours", util,
             "Day-weighted mean of telemetry_utilization.avg_hours_per_device"),
        tile(window, "consumption", "Consumption per cycle", "grams", cons,
             "Day-weighted mean of telemetry_consumption.grams_per_cycle", good="down"),
        tile(window, "active_devices", "Active devices", "count", active,
             "telemetry_active_devices.active_devices at the window's last month"),
    ]  # fmt: skip
    return TelemetryOverview(
        domain="telemetry",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=[
            build_series(window, "utilization", "Utilisation", "hours", util),
            build_series(window, "consumption", "Consumption per cycle", "grams", cons),
            build_series(window, "active_devices", "Active devices", "count", active),
        ],
        warnings=[],
    )
