"""Customers and their subscriptions: who exists when, and each customer's MRR month by month.

Subscriptions are simulated from a warm-up year before the history so that the first months
already have a trailing-12-month NRR; only months inside the history produce orders.
"""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass

from execdash.demo.calendar import Calendar, add_months, allocate, growth
from execdash.demo.names import INDUSTRIES, SOURCES, customer_name, weighted

WARMUP = 12
CHURN = 0.0085
EXPANSION = 0.05
CONTRACTION = 0.008


@dataclass
class Book:
    """The customer base: rows for `customers` plus the simulated subscription book."""

    rows: list[tuple[int, str, str, str, str]]
    known_before: list[int]
    """Per history month: customers created before its first day (ids 1..k may order)."""
    plan: list[array[int]]
    """Per timeline month (warm-up first): each customer's subscription cents (0 = none)."""
    addon: list[array[int]]
    """Per timeline month: each customer's recurring consumables cents (0 = none)."""
    billing_day: list[int]
    starts: list[int]
    """Per timeline month: MRR cents of customers whose subscription started that month."""

    def mrr(self, t: int, index: int) -> int:
        """MRR cents of customer at position `index` in timeline month `t`."""
        return self.plan[t][index] + self.addon[t][index]

    def mrr_total(self, t: int) -> int:
        """Total MRR pence in timeline month `t`."""
        return sum(self.plan[t]) + sum(self.addon[t])

    def active(self, t: int) -> int:
        """How many customers pay a subscription in timeline month `t`."""
        return sum(1 for c in self.plan[t] if c)


def customer_count(orders: int) -> int:
    """A few hundred customers for a demo, more (capped) when the order volume is scaled."""
    return min(max(orders // 60, 60), 25_000)


def build_book(rng: random.Random, cal: Calendar, count: int) -> Book:
    """Create `count` customers spread over warm-up year + history and simulate subscriptions."""
    months = len(cal.months)
    first = cal.months[0]
    pre = round(count * 0.35)
    per_month = [0] * WARMUP + allocate(count - pre, [growth(m, 0.25) for m in range(months)])
    warm = allocate(pre, [10.0] + [1.0] * (WARMUP - 1))  # a founding base, then steady adds
    for t in range(WARMUP):
        per_month[t] = warm[t]
    timeline = WARMUP + months
    created_t: list[int] = []
    created_day: list[int] = []
    for t, n in enumerate(per_month):
        days = cal.month_len[t - WARMUP] if t >= WARMUP else 28
        for day in sorted(rng.randint(1, days) for _ in range(n)):
            created_t.append(t)
            created_day.append(day)
    rows: list[tuple[int, str, str, str, str]] = []
    taken: set[str] = set()
    for i, (t, day) in enumerate(zip(created_t, created_day, strict=True)):
        industry = weighted(rng, INDUSTRIES)
        created = add_months(first, t - WARMUP).replace(day=day)
        name = customer_name(rng, industry, taken)
        rows.append((i + 1, name, industry, weighted(rng, SOURCES), created.isoformat()))
    known_before = [sum(1 for t in created_t if t < WARMUP + m) for m in range(months)]
    plan, addon, starts, billing = _simulate(rng, created_t, created_day, timeline)
    return Book(rows, known_before, plan, addon, billing, starts)


def _simulate(
    rng: random.Random, created_t: list[int], created_day: list[int], timeline: int
) -> tuple[list[array[int]], list[array[int]], list[int], list[int]]:
    """Each customer's plan and add-on cents per month: starts, churn, expansion, contraction."""
    n = len(created_t)
    start = [timeline] * n
    plan_now = [0] * n
    addon_now = [0] * n
    billing = [rng.randint(1, 28) for _ in range(n)]
    for i, t in enumerate(created_t):
        if rng.random() < 0.64:
            # The first invoice never predates the customer: bill from next month if needed.
            # The founding base (first warm-up month) subscribes at once: NRR's first cohort.
            if t == 0:
                billing[i] = max(billing[i], created_day[i])
            late = billing[i] < created_day[i] or (t > 0 and rng.random() < 0.3)
            start[i] = t + (1 if late else 0)
            plan_now[i] = round(rng.lognormvariate(math.log(900.0), 0.55)) * 100
            if rng.random() < 0.45:
                addon_now[i] = round(rng.lognormvariate(math.log(350.0), 0.5)) * 100
    churned = [False] * n
    plan: list[array[int]] = []
    addon: list[array[int]] = []
    starts = [0] * timeline
    rnd = rng.random
    for t in range(timeline):
        p_row = array("q", bytes(8 * n))
        a_row = array("q", bytes(8 * n))
        for i in range(n):
            if churned[i] or start[i] > t:
                continue
            if start[i] == t:
                starts[t] += plan_now[i] + addon_now[i]
            else:
                r = rnd()
                if r < CHURN:
                    churned[i] = True
                    continue
                if r < CHURN + EXPANSION:
                    plan_now[i] = round(plan_now[i] * (1.1 + 0.35 * rnd()) / 100) * 100
                elif r < CHURN + EXPANSION + CONTRACTION:
                    plan_now[i] = round(plan_now[i] * (0.75 + 0.15 * rnd()) / 100) * 100
            p_row[i] = plan_now[i]
            a_row[i] = addon_now[i]
        plan.append(p_row)
        addon.append(a_row)
    return plan, addon, starts, billing


def retention_rows(book: Book, periods: tuple[str, ...]) -> list[tuple[str, float, float, float]]:
    """Trailing-12-month NRR per history month: nrr = 1 − gross_churn + expansion exactly.

    The cohort is every customer paying 12 months earlier; gross churn is the MRR they lost
    (churn and contraction), expansion the MRR they added, both over the cohort's MRR then.
    """
    out = []
    for m, period in enumerate(periods):
        now, then = WARMUP + m, m
        base = lost = gained = 0
        for i in range(len(book.billing_day)):
            before = book.mrr(then, i)
            if not before:
                continue
            delta = book.mrr(now, i) - before
            base += before
            if delta < 0:
                lost -= delta
            else:
                gained += delta
        churn = round(lost / base, 4) if base else 0.0
        expansion = round(gained / base, 4) if base else 0.0
        out.append((period, round(1.0 - churn + expansion, 4), churn, expansion))
    return out
