"""Operations, supply chain and telemetry: one row per month with mild seasonality.

Two anomalies are planted for the alerts to talk about: an uptime dip (with a matching MTBF
drop and MTTR rise) and a component lead-time spike (with COGS variance up, turns down).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from execdash.demo.calendar import Calendar, season
from execdash.demo.customers import WARMUP, Book
from execdash.demo.names import DEVICE_TYPES, FAULT_TYPES
from execdash.demo.writer import BulkWriter

DEVICES_PER_SUBSCRIBER = 6


@dataclass
class OpsFacts:
    """Values the alerts quote: the anomalies as they were written."""

    uptime_dip: float
    uptime_normal: float
    lead_spike: float
    lead_normal: float


def write(
    writer: BulkWriter,
    rng: random.Random,
    cal: Calendar,
    book: Book,
    uptime_month: int,
    lead_month: int,
) -> OpsFacts:
    """Write ops_*, supply_* (except the breakdown), telemetry_*, devices and repurchases."""
    months = len(cal.months)
    g = rng.gauss
    uptime, reliability, quality, service = [], [], [], []
    variance, lead, turns = [], [], []
    utilisation, consumption, active = [], [], []
    for m, (period, month) in enumerate(zip(cal.periods, cal.months, strict=True)):
        summer = season(month, 1.0, peak_month=7) - 1.0  # +1 in July, −1 in January
        up = min(0.9995, 0.9935 - 0.0015 * summer + g(0, 0.0008))
        mtbf = 720 + 25 * m / 12 - 30 * summer + g(0, 15)
        mttr = 3.3 - 0.2 * m / 12 + 0.2 * summer + g(0, 0.15)
        if m == uptime_month:
            up, mtbf, mttr = 0.9612 + g(0, 0.002), mtbf * 0.55, mttr * 2.4
        uptime.append((period, round(up, 4)))
        reliability.append((period, round(mtbf, 1), round(mttr, 2)))
        defect = 0.016 - 0.002 * m / 12 + g(0, 0.0012)
        quality.append(
            (period, round(0.008 + g(0, 0.0007), 4), round(defect, 4),
             round(0.024 + 0.003 * summer + g(0, 0.0012), 4))
        )  # fmt: skip
        service.append((period, round(14.5 - 0.6 * m / 12 + 0.4 * summer + g(0, 0.3), 2)))
        days = 27 + 3 * (season(month, 1.0, peak_month=11) - 1.0) + g(0, 1.2)
        var = 0.012 + g(0, 0.006)
        turn = 6.4 + 0.2 * m / 12 + g(0, 0.2)
        if m == lead_month:
            days, var, turn = days + 21 + g(0, 1.5), var + 0.05, turn - 1.3
        lead.append((period, round(days, 1)))
        variance.append((period, round(var, 4)))
        turns.append((period, round(turn, 2)))
        utilisation.append((period, round(165 + 18 * summer + g(0, 4), 1)))
        consumption.append((period, round(12.6 - 0.35 * m / 12 + g(0, 0.12), 2)))
        subscribers = book.active(WARMUP + m)
        active.append((period, max(DEVICES_PER_SUBSCRIBER * subscribers + round(g(0, 8)), 1)))
    writer.write("ops_uptime", ("period", "uptime"), uptime)
    writer.write("ops_reliability", ("period", "mtbf_hours", "mttr_hours"), reliability)
    writer.write("ops_quality", ("period", "doa_pct", "defect_pct", "warranty_pct"), quality)
    writer.write("ops_service_cost", ("period", "cost_per_device"), service)
    writer.write("supply_cogs_variance", ("period", "variance_pct"), variance)
    writer.write("supply_lead_time", ("period", "lead_time_days"), lead)
    writer.write("supply_inventory_turns", ("period", "turns_per_year"), turns)
    writer.write("telemetry_utilization", ("period", "avg_hours_per_device"), utilisation)
    writer.write("telemetry_consumption", ("period", "grams_per_cycle"), consumption)
    writer.write("telemetry_active_devices", ("period", "active_devices"), active)
    fleet = active[-1][1]
    _write_devices(writer, rng, fleet)
    normal = [u for i, (_, u) in enumerate(uptime) if i != uptime_month]
    normal_lead = [d for i, (_, d) in enumerate(lead) if i != lead_month]
    del months
    return OpsFacts(
        uptime_dip=uptime[uptime_month][1],
        uptime_normal=sum(normal) / len(normal),
        lead_spike=lead[lead_month][1],
        lead_normal=sum(normal_lead) / len(normal_lead),
    )


def _write_devices(writer: BulkWriter, rng: random.Random, fleet: int) -> None:
    """The current fleet (one row per active device), ~12% with a fault; repurchase rates."""
    faults = [f for f, _ in FAULT_TYPES]
    weights = [w for _, w in FAULT_TYPES]
    type_weights = (0.30, 0.22, 0.20, 0.16, 0.12)
    rows = []
    for _ in range(fleet):
        kind = rng.choices(DEVICE_TYPES, type_weights)[0]
        fault = rng.choices(faults, weights)[0] if rng.random() < 0.12 else None
        rows.append((kind, fault))
    writer.write("devices", ("type", "fault_type"), rows)
    writer.write(
        "repurchases",
        ("device_type", "repurchase_rate"),
        [(kind, round(0.22 + 0.35 * rng.random(), 3)) for kind in DEVICE_TYPES],
    )
