"""Ops, supply and telemetry: every month present, sane ranges, anomalies that alerts match."""

from __future__ import annotations

from typing import Any

import pytest

MONTHLY = (
    "ops_uptime", "ops_reliability", "ops_quality", "ops_service_cost", "supply_cogs_variance",
    "supply_lead_time", "supply_inventory_turns", "telemetry_utilization",
    "telemetry_consumption", "telemetry_active_devices", "retention_nrr", "pipeline_winrate",
    "revenue_trend",
)  # fmt: skip


@pytest.mark.parametrize("table", MONTHLY)
def test_every_month_of_the_history_has_a_row(q: Any, table: str) -> None:
    periods = [p for (p,) in q(f"SELECT period FROM {table} ORDER BY period")]
    assert len(periods) == 36
    assert periods[0] == "2023-11"
    assert periods[-1] == "2026-10"


def test_uptime_is_a_ratio_near_99_percent_with_one_dip(q: Any) -> None:
    values = [u for (u,) in q("SELECT uptime FROM ops_uptime")]
    assert all(0.9 < u <= 1 for u in values)
    assert sorted(values)[1] > 0.985  # only one month is bad
    assert min(values) < 0.97


def test_uptime_dip_and_lead_time_spike_have_alerts_in_their_month(q: Any) -> None:
    ((dip_period,),) = q("SELECT period FROM ops_uptime ORDER BY uptime LIMIT 1")
    ((spike_period,),) = q(
        "SELECT period FROM supply_lead_time ORDER BY lead_time_days DESC LIMIT 1"
    )
    ops = [str(c)[:7] for (c,) in q("SELECT created_at FROM alerts WHERE type = 'ops'")]
    supply = [str(c)[:7] for (c,) in q("SELECT created_at FROM alerts WHERE type = 'supply'")]
    assert ops
    assert set(ops) == {dip_period}
    assert supply
    assert set(supply) == {spike_period}


def test_quality_rates_are_ratios_and_reliability_positive(q: Any) -> None:
    assert q(
        "SELECT COUNT(*) FROM ops_quality WHERE doa_pct NOT BETWEEN 0 AND 0.1 "
        "OR defect_pct NOT BETWEEN 0 AND 0.1 OR warranty_pct NOT BETWEEN 0 AND 0.1"
    ) == [(0,)]
    assert q(
        "SELECT COUNT(*) FROM ops_reliability WHERE mtbf_hours <= mttr_hours OR mttr_hours <= 0"
    ) == [(0,)]


def test_device_fleet_matches_active_devices_of_the_end_month(q: Any) -> None:
    ((active,),) = q("SELECT active_devices FROM telemetry_active_devices WHERE period = '2026-10'")
    assert q("SELECT COUNT(*) FROM devices") == [(active,)]
    faults = dict(q("SELECT COALESCE(fault_type, '-'), COUNT(*) FROM devices GROUP BY 1"))
    assert faults["-"] > 0.8 * active  # most devices have no fault
    assert len(faults) >= 5


def test_repurchase_rates_cover_every_device_type(q: Any) -> None:
    device_types = {t for (t,) in q("SELECT DISTINCT type FROM devices")}
    rates = dict(q("SELECT device_type, repurchase_rate FROM repurchases"))
    assert set(rates) == device_types
    assert all(0 < r < 1 for r in rates.values())
