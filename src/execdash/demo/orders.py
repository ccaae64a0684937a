"""Orders: monthly subscription invoices plus recognized and booked hardware orders.

Order amounts are drawn in integer pence, so the monthly sums in `revenue_trend` equal the
sums of the stored order amounts exactly, and backlog(t) = backlog(t−1) + booked(t) −
recognized(t) holds to the penny. Booked volume follows a controller that steers backlog
towards a coverage target drifting between about 4.7 and 6.5 months of recognized revenue.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist

from execdash.db.schema import orders as ORDER_TABLE
from execdash.demo.calendar import Calendar, allocate, month_weights, season
from execdash.demo.customers import WARMUP, Book
from execdash.demo.writer import BulkWriter, Row

COLUMNS = ("customer_id", "amount", "profit", "order_date", "type")
CHUNK = 50_000
HARDWARE_PER_MRR = 3.2
"""Recognized hardware revenue per £ of MRR each month: keeps the revenue mix (and so the
gross margin) the same whatever the order volume or history length."""
BOOKING_GAIN = 0.35
OPENING_COVERAGE = 5.5
HARDWARE_MARGIN = (0.23, 0.16)  # margin = low + span × U(0,1)
SUBSCRIPTION_MARGIN = (0.72, 0.08)
RECURRING_MARGIN = (0.46, 0.08)
QUANTILES = 4096


def _lognormal_table(sigma: float) -> tuple[float, ...]:
    """Evenly spaced quantiles of a lognormal with mean 1: one `random()` per draw, no `log`."""
    normal = NormalDist()
    raw = [math.exp(sigma * normal.inv_cdf((i + 0.5) / QUANTILES)) for i in range(QUANTILES)]
    mean = sum(raw) / QUANTILES
    return tuple(r / mean for r in raw)


MULTIPLIERS = _lognormal_table(0.6)


@dataclass
class OrderTotals:
    """What later tables need from the orders: monthly sums in pence, counts and timing."""

    revenue_rows: list[tuple[str, float, float, float]]
    recognized: list[int]
    booked: list[int]
    cogs: list[int]
    """Cost (amount − profit) of recognized hardware orders per month, in pence."""
    opening_backlog: int
    orders: int
    seconds: float
    cpu_seconds: float


def coverage_target(m: int) -> float:
    """The backlog coverage (months) sales aim for in month `m`: drifts slowly, 4.7–6.5."""
    return 5.6 + 0.9 * math.sin(2.0 * math.pi * m / 17.0)


def subscription_count(book: Book, months: int) -> int:
    """How many subscription and recurring invoices the history holds."""
    return sum(
        sum(1 for c in book.plan[WARMUP + m] if c) + sum(1 for c in book.addon[WARMUP + m] if c)
        for m in range(months)
    )


def hardware_split(cal: Calendar, total: int) -> list[tuple[int, int]]:
    """(recognized, booked) order counts per month; at least one of each every month."""
    counts = allocate(max(total, 0), month_weights(cal, 0.18, 0.06))
    out = []
    for n in counts:
        recognized = max(1, round(n * 0.55))
        out.append((recognized, max(1, n - recognized)))
    return out


def write_orders(
    writer: BulkWriter,
    rng: random.Random,
    cal: Calendar,
    book: Book,
    orders: int,
    tick: Callable[[int], None],
) -> OrderTotals:
    """Write about `orders` orders (exactly, when above the subscription invoices + 2/month).

    The two seed indexes on `orders` are dropped for the bulk load and rebuilt afterwards in
    the same transaction: building an index once is much faster than updating it per row.
    """
    started, cpu = time.perf_counter(), time.process_time()
    indexes = sorted(ORDER_TABLE.indexes, key=lambda ix: str(ix.name))
    for index in indexes:
        index.drop(writer.connection)
    months = len(cal.months)
    split = hardware_split(cal, orders - subscription_count(book, months))
    periods = cal.periods
    expected = [
        HARDWARE_PER_MRR * book.mrr_total(WARMUP + m) * season(cal.months[m], 0.06)
        for m in range(months)
    ]
    opening = round(OPENING_COVERAGE * expected[0])
    backlog = opening
    recognized: list[int] = []
    booked: list[int] = []
    cogs: list[int] = []
    rows_out: list[tuple[str, float, float, float]] = []
    written = 0
    for m in range(months):
        written += _write_subscriptions(writer, rng, cal, book, m, tick)
        n_rec, n_book = split[m]
        rec_sum, rec_profit = _write_hardware(
            writer, rng, cal, book, m, n_rec, expected[m] / n_rec, "recognized", tick
        )
        recognized.append(rec_sum)
        cogs.append(rec_sum - rec_profit)
        recent = recognized[-6:]
        target = coverage_target(m) * sum(recent) / len(recent)
        desired = max(rec_sum + BOOKING_GAIN * (target - backlog), 0.4 * rec_sum)
        book_sum, _ = _write_hardware(
            writer, rng, cal, book, m, n_book, desired / n_book, "booked", tick
        )
        booked.append(book_sum)
        backlog += book_sum - rec_sum
        written += n_rec + n_book
        rows_out.append((periods[m], rec_sum / 100, book_sum / 100, backlog / 100))
    for index in indexes:
        index.create(writer.connection)
    return OrderTotals(
        rows_out,
        recognized,
        booked,
        cogs,
        opening,
        written,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )


def _write_subscriptions(
    writer: BulkWriter,
    rng: random.Random,
    cal: Calendar,
    book: Book,
    m: int,
    tick: Callable[[int], None],
) -> int:
    """One `subscription` invoice per paying customer, plus `recurring` consumables."""
    t = WARMUP + m
    d0, last = cal.first_day[m], cal.month_len[m]
    iso = cal.day_iso
    rnd = rng.random
    plan, addon, billing = book.plan[t], book.addon[t], book.billing_day
    rows: list[Row] = []
    s_lo, s_span = SUBSCRIPTION_MARGIN
    r_lo, r_span = RECURRING_MARGIN
    for i in [i for i, cents in enumerate(plan) if cents]:
        cents = plan[i]
        day = iso[d0 + min(billing[i], last) - 1]
        rows.append(
            (i + 1, cents / 100, round(cents * (s_lo + s_span * rnd())) / 100, day, "subscription")
        )
        extra = addon[i]
        if extra:
            rows.append(
                (i + 1, extra / 100, round(extra * (r_lo + r_span * rnd())) / 100, day, "recurring")
            )
    if rows:
        writer.write("orders", COLUMNS, rows)
        tick(len(rows))
    return len(rows)


def _write_hardware(
    writer: BulkWriter,
    rng: random.Random,
    cal: Calendar,
    book: Book,
    m: int,
    count: int,
    mean: float,
    kind: str,
    tick: Callable[[int], None],
) -> tuple[int, int]:
    """Write `count` hardware orders of `kind` averaging `mean` pence; return Σ amount, Σ profit."""
    known = max(book.known_before[m], 1)
    nd = cal.month_len[m]
    days = cal.day_iso[cal.first_day[m] : cal.first_day[m] + nd]
    rnd = rng.random
    mult = MULTIPLIERS
    lo, span = HARDWARE_MARGIN
    total = profit_total = 0
    left = count
    while left:
        size = min(left, CHUNK)
        left -= size
        amounts = [int(mean * mult[int(rnd() * QUANTILES)]) + 100 for _ in range(size)]
        profits = [round(c * (lo + span * rnd())) for c in amounts]
        total += sum(amounts)
        profit_total += sum(profits)
        rows = [
            (int(rnd() * known) + 1, c / 100, p / 100, days[int(rnd() * nd)], kind)
            for c, p in zip(amounts, profits, strict=True)
        ]
        writer.write("orders", COLUMNS, rows)
        tick(size)
    return total, profit_total
