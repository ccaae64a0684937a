"""Operations overview: uptime, MTBF/MTTR, quality rates, service cost, faults, repurchases."""

from __future__ import annotations

from typing import Literal, NamedTuple

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.metrics.domain import breakdown, read_period, tile
from execdash.metrics.models import (
    Breakdown,
    DataQualityWarning,
    Kpi,
    OperationsOverview,
    RepurchaseRate,
    Series,
    Timeframe,
    Unit,
)
from execdash.metrics.rates import normalise_rate
from execdash.metrics.series import build_series
from execdash.metrics.windows import Window


class OpsSeries(NamedTuple):
    """One operations series: where it is stored and which way is good."""

    key: str
    table: str
    column: str
    label: str
    unit: Unit
    good: Literal["up", "down"]
    is_rate: bool
    """A 0–1 column, normalised on read."""


OPS_SERIES = (
    OpsSeries("uptime", "ops_uptime", "uptime", "Uptime", "ratio", "up", True),
    OpsSeries("mtbf", "ops_reliability", "mtbf_hours", "MTBF", "hours", "up", False),
    OpsSeries("mttr", "ops_reliability", "mttr_hours", "MTTR", "hours", "down", False),
    OpsSeries("doa", "ops_quality", "doa_pct", "Dead on arrival", "ratio", "down", True),
    OpsSeries("defect", "ops_quality", "defect_pct", "Defect rate", "ratio", "down", True),
    OpsSeries("warranty", "ops_quality", "warranty_pct", "Warranty claims", "ratio", "down", True),
    OpsSeries(
        "service_cost", "ops_service_cost", "cost_per_device", "Service cost per device",
        "currency", "down", False,
    ),
)  # fmt: skip


def faults_by_type(conn: sa.Connection) -> Breakdown:
    """Devices counted by fault_type (devices without a fault are left out)."""
    d = s.devices
    rows = conn.execute(
        sa.select(d.c.fault_type, sa.func.count())
        .where(d.c.fault_type.is_not(None), d.c.fault_type != "")
        .group_by(d.c.fault_type)
    )
    return breakdown("fault_type", "devices", "count", [(r[0], float(r[1])) for r in rows])


def faults_by_device_type(conn: sa.Connection) -> Breakdown:
    """Devices with a recorded fault counted by device type (the same devices as faults_by_type)."""
    d = s.devices
    rows = conn.execute(
        sa.select(d.c.type, sa.func.count())
        .where(d.c.fault_type.is_not(None), d.c.fault_type != "")
        .group_by(d.c.type)
    )
    return breakdown("device_type", "devices", "count", [(r[0], float(r[1])) for r in rows])


def repurchase_rates(
    rows: list[tuple[str, float]],
) -> tuple[list[RepurchaseRate], list[DataQualityWarning]]:
    """Mean repurchase rate per device type, 0–100 values normalised (pure)."""
    sums: dict[str, list[float]] = {}
    warnings = []
    for device_type, raw in rows:
        value, warning = normalise_rate(float(raw), "repurchases", "repurchase_rate", device_type)
        if warning is not None:
            warnings.append(warning)
        sums.setdefault(device_type, []).append(value)
    out = [
        RepurchaseRate(device_type=k, repurchase_rate=sum(v) / len(v), rows=len(v))
        for k, v in sorted(sums.items())
    ]
    return out, warnings


def overview(conn: sa.Connection, window: Window) -> OperationsOverview:
    """Operations KPI tiles, series, faults and repurchase rates for `window`."""
    tiles: list[Kpi] = []
    series: list[Series] = []
    warnings: list[DataQualityWarning] = []
    for o in OPS_SERIES:
        monthly, warns = read_period(conn, o.table, o.column, window, rate=o.is_rate)
        warnings += warns
        series.append(build_series(window, o.key, o.label, o.unit, monthly))
        formula = f"Day-weighted mean of {o.table}.{o.column} over the window"
        tiles.append(
            tile(window, o.key, o.label, o.unit, monthly, formula, good=o.good,
                 warnings=warns)
        )  # fmt: skip
    r = s.repurchases
    rates, warns = repurchase_rates(
        [
            (str(a), float(b))
            for a, b in conn.execute(sa.select(r.c.device_type, r.c.repurchase_rate))
        ]
    )
    return OperationsOverview(
        domain="operations",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=series,
        warnings=warnings + warns,
        faults_by_type=faults_by_type(conn),
        repurchase_by_device_type=rates,
    )
