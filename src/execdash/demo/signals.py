"""Alerts, risks and at-risk customers, each grounded in the generated data it talks about."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from execdash.demo.calendar import Calendar, iso_datetime
from execdash.demo.customers import Book
from execdash.demo.funnel import Funnel
from execdash.demo.names import AT_RISK_REASONS, FAULT_TYPES
from execdash.demo.operations import OpsFacts
from execdash.demo.writer import BulkWriter

AT_RISK_COUNT = 8
ALERT_COLUMNS = ("type", "title", "description", "severity", "created_at")


@dataclass(frozen=True)
class Anomalies:
    """History months (0-based) where the planted anomalies happen."""

    uptime: int
    lead_time: int
    leads: int

    @classmethod
    def choose(cls, rng: random.Random, months: int) -> Anomalies:
        """Three distinct months, none in the first quarter nor the very last month."""
        picks = rng.sample(range(3, months - 1), 3)
        return cls(uptime=picks[0], lead_time=picks[1], leads=picks[2])


def write_alerts(
    writer: BulkWriter,
    rng: random.Random,
    cal: Calendar,
    spots: Anomalies,
    ops: OpsFacts,
    funnel: Funnel,
    coverage: list[float],
    at_risk_mrr: float,
) -> None:
    """Alerts dated inside the month (or days) of the anomaly they describe."""

    def at(d: int) -> str:
        return iso_datetime(cal.days[d], rng.randint(6 * 3600, 18 * 3600))

    up_day = cal.first_day[spots.uptime] + rng.randint(4, 12)
    lead_day = cal.first_day[spots.lead_time] + rng.randint(3, 15)
    low = min(range(len(coverage)), key=lambda m: (coverage[m], m))
    last = len(cal.days) - 1
    rows = [
        ("ops", "Uptime dropped below 97%",
         f"Fleet uptime was {ops.uptime_dip:.2%} in {cal.periods[spots.uptime]} against a "
         f"normal {ops.uptime_normal:.2%}; cloud gateway outage and a firmware regression.",
         "high", at(up_day)),
        ("ops", "Mean time to repair more than doubled",
         f"Field engineers were stretched by the {cal.periods[spots.uptime]} outage.",
         "medium", at(min(up_day + 2, last))),
        ("supply", "Compressor lead time spiked",
         f"Lead time reached {ops.lead_spike:.0f} days in {cal.periods[spots.lead_time]} "
         f"(normally {ops.lead_normal:.0f}); port congestion at the supplier.",
         "high", at(lead_day)),
        ("supply", "COGS variance above plan",
         f"Expedited freight pushed COGS variance above 5% in {cal.periods[spots.lead_time]}.",
         "medium", at(min(lead_day + 5, last))),
        ("marketing", "Inbound leads down 45%",
         f"Leads fell for {funnel.dip_days} days from {cal.day_iso[funnel.dip_start]}: "
         "paid search campaign paused by a billing error.",
         "medium", at(min(funnel.dip_start + 3, last))),
        ("finance", "Backlog coverage at its low",
         f"Backlog covered {coverage[low]:.1f} months of revenue in {cal.periods[low]}.",
         "low", at(min(cal.first_day[low] + cal.month_len[low] - 1, last))),
        ("retention", f"{AT_RISK_COUNT} accounts flagged at risk",
         f"£{at_risk_mrr:,.0f} of MRR sits with accounts showing churn signals.",
         "high", at(last - rng.randint(0, 5))),
    ]  # fmt: skip
    writer.write("alerts", ALERT_COLUMNS, rows)


def write_risks(writer: BulkWriter, end_month: dt.date) -> None:
    """Six company risks; due dates relative to `end_month`, two open ones already overdue."""
    start = end_month.replace(day=1)

    def due(days: int) -> str:
        return (start + dt.timedelta(days=days)).isoformat()

    rows = [
        ("Single-source compressor supplier", "Priya Shah (COO)", due(-25),
         "Qualify a second supplier in Poland; hold 8 weeks of safety stock.", "mitigating"),
        ("Top-10 customer renewal at risk", "Sarah Collins (CRO)", due(-10),
         "Executive sponsor meeting booked; prepare multi-year pricing offer.", "open"),
        ("Firmware 4.2 rollout slips past quarter end", "Tom Hughes (CTO)", due(20),
         "Staged rollout to 10% of the fleet; rollback plan tested.", "open"),
        ("EUR exposure on component purchases", "Daniel Okafor (CFO)", due(45),
         "Hedge 60% of next two quarters' EUR spend with forwards.", "mitigating"),
        ("ISO 13485 recertification audit", "Mark Ellis (Head of Quality)", due(75),
         "Internal audit done; close four minor non-conformities.", "open"),
        ("Warehouse lease renewal", "Emma Wright (Head of Operations)", due(-60),
         "Signed a five-year renewal with a break clause at year three.", "closed"),
    ]  # fmt: skip
    writer.write("risks", ("title", "owner", "due", "mitigation", "status"), rows)


def write_at_risk(writer: BulkWriter, rng: random.Random, book: Book) -> float:
    """Pick active subscribers at the end month; return the MRR they hold (in pounds)."""
    last = len(book.plan) - 1
    active = [i for i in range(len(book.billing_day)) if book.mrr(last, i)]
    chosen = rng.sample(active, min(AT_RISK_COUNT, len(active)))
    faults = [f.lower() for f, _ in FAULT_TYPES]
    rows = []
    for i in chosen:
        reason = rng.choice(AT_RISK_REASONS).format(
            drop=rng.randint(25, 60), fault=rng.choice(faults), active=rng.randint(2, 5)
        )
        rows.append(
            (book.rows[i][1], book.mrr(last, i) / 100, round(0.2 + 0.7 * rng.random(), 2), reason)
        )
    writer.write("retention_at_risk", ("customer", "mrr", "risk", "reason"), rows)
    return sum(r[1] for r in rows)
