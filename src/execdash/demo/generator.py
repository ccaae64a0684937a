"""Generate the whole demo company into an empty database in one transaction.

Every table gets its own random stream derived from the seed, so the output depends only on
(seed, orders, months, end_month): never on the wall clock or on the backend.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from collections.abc import Iterator

import sqlalchemy as sa
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy.engine import Engine

from execdash.db import triggers
from execdash.db.changes import record_data_change
from execdash.db.schema import SEED_TABLES, metadata
from execdash.demo import customers, feedback, finance, funnel, operations, usage
from execdash.demo import orders as order_book
from execdash.demo.calendar import Calendar
from execdash.demo.signals import Anomalies, write_alerts, write_at_risk, write_risks
from execdash.demo.summary import DemoSummary
from execdash.demo.writer import BulkWriter

MATERIALISED = ("executive_kpis", "timeframe_window")
"""Seed tables the metrics engine derives from the data; the generator leaves them alone."""
DEMO_TABLES = tuple(t for t in SEED_TABLES if t not in MATERIALISED)
MIN_MONTHS = 13
BUSY_FROM_ORDERS = 1_000_000


def activity_scale(orders: int) -> float:
    """How many times busier than a 1M-order company the website and portal are (at least 1).

    Leads, page visits and user events grow with the order book beyond a million orders, so a
    benchmark company has proportionally large event tables; smaller demos are unchanged.
    """
    return max(1.0, orders / BUSY_FROM_ORDERS)


def has_data(engine: Engine) -> bool:
    """True when any seed table (other than the materialised ones) holds a row."""
    with engine.connect() as conn:
        for name in DEMO_TABLES:
            table = metadata.tables[name]
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                return True
    return False


def _stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream for one part of the company."""
    return random.Random(f"execdash-demo:{seed}:{name}")


class _Bar:
    """Progress of one generation: orders by row, then the other parts step by step."""

    PARTS = 8

    def __init__(self, bar: Progress | None, orders_total: int) -> None:
        self._bar = bar
        if bar is not None:
            self._orders = bar.add_task("orders", total=orders_total)
            self._rest = bar.add_task("rest of the company", total=self.PARTS)

    def orders(self, count: int) -> None:
        """`count` more orders were written."""
        if self._bar is not None:
            self._bar.advance(self._orders, count)

    def step(self, what: str) -> None:
        """One more part is done; `what` is the part that starts now."""
        if self._bar is not None:
            self._bar.update(self._rest, advance=1, description=what)


@contextlib.contextmanager
def _progress(enabled: bool, orders_total: int) -> Iterator[_Bar]:
    """A Rich progress display (or a silent one when disabled)."""
    if not enabled:
        yield _Bar(None, orders_total)
        return
    columns = (
        TextColumn("[bold]demo[/] {task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as bar:
        yield _Bar(bar, orders_total)


def _coverage(
    recognized: list[int], revenue_rows: list[tuple[str, float, float, float]]
) -> list[float]:
    """Backlog / mean recognized of the (up to) six months ending at each month."""
    out = []
    for m, row in enumerate(revenue_rows):
        recent = recognized[max(m - 5, 0) : m + 1]
        out.append(row[3] * 100 / (sum(recent) / len(recent)))
    return out


def generate(
    engine: Engine,
    *,
    seed: int,
    orders: int,
    months: int,
    end_month: dt.date,
    progress: bool = True,
) -> DemoSummary:
    """Fill every seed table but the materialised two with a coherent demo company."""
    if months < MIN_MONTHS:
        raise ValueError(f"months must be at least {MIN_MONTHS} (NRR is trailing 12), got {months}")
    if orders < 1:
        raise ValueError(f"orders must be at least 1, got {orders}")
    started = time.perf_counter()
    cal = Calendar.ending(end_month, months)
    spots = Anomalies.choose(_stream(seed, "anomalies"), months)
    book = customers.build_book(_stream(seed, "customers"), cal, customers.customer_count(orders))
    expected = max(orders, order_book.subscription_count(book, months) + 2 * months)
    with engine.begin() as conn, _progress(progress, expected) as bar:
        writer = BulkWriter(conn)
        with writer.large_cache(), triggers.suspended(conn, metadata.tables):
            totals = _fill(writer, seed, cal, book, spots, orders, bar)
            record_data_change(conn, sorted(writer.counts))
        bar.step("done")
    return DemoSummary(
        seed=seed,
        first_month=cal.months[0],
        end_month=cal.months[-1],
        opening_backlog=totals.opening_backlog / 100,
        rows=dict(writer.counts),
        elapsed_seconds=time.perf_counter() - started,
        order_seconds=totals.seconds,
        order_cpu_seconds=totals.cpu_seconds,
    )


def _fill(
    writer: BulkWriter,
    seed: int,
    cal: Calendar,
    book: customers.Book,
    spots: Anomalies,
    orders: int,
    bar: _Bar,
) -> order_book.OrderTotals:
    """Write every demo table in dependency order; return the order totals for the summary."""
    writer.write("customers", ("id", "name", "industry", "source", "created_at"), book.rows)
    writer.sync_sequence("customers")
    totals = order_book.write_orders(writer, _stream(seed, "orders"), cal, book, orders, bar.orders)
    bar.step("revenue, retention, finance")
    writer.write(
        "revenue_trend", ("period", "recognized", "booked", "backlog"), totals.revenue_rows
    )
    writer.write(
        "retention_nrr",
        ("period", "nrr", "gross_churn", "expansion"),
        customers.retention_rows(book, cal.periods),
    )
    finance.write_expenses(writer, _stream(seed, "expenses"), cal, book)
    finance.write_products(writer, _stream(seed, "products"), cal, totals.recognized)
    finance.write_cogs_breakdown(writer, totals.cogs)
    bar.step("funnel and page visits")
    busy = activity_scale(orders)
    sales = funnel.simulate(_stream(seed, "funnel"), cal, spots.leads, busy)
    funnel.write(writer, _stream(seed, "funnel-write"), cal, sales)
    bar.step("operations and supply")
    ops = operations.write(
        writer, _stream(seed, "operations"), cal, book, spots.uptime, spots.lead_time
    )
    bar.step("user events")
    usage.write(writer, _stream(seed, "usage"), cal, book, busy)
    bar.step("feedback")
    feedback.write(writer, _stream(seed, "feedback"), cal, book)
    bar.step("alerts and risks")
    at_risk_mrr = write_at_risk(writer, _stream(seed, "at-risk"), book)
    write_alerts(
        writer, _stream(seed, "alerts"), cal, spots, ops, sales,
        _coverage(totals.recognized, totals.revenue_rows), at_risk_mrr,
    )  # fmt: skip
    write_risks(writer, cal.months[-1])
    bar.step("refreshing derived tables")
    return totals
