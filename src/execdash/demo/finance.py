"""Money tables that follow from the orders: expenses, product revenue and the COGS breakdown.

Expenses are sales & marketing spend sized from the MRR the company acquires (about five
months of new MRR per month of spend), so CAC payback lands near a year; product revenue
splits each month's recognized revenue over days and products, so Σ top_products_daily of a
month = recognized revenue that month to the penny, and `top_products` is their exact all-time Σ.
"""

from __future__ import annotations

import random

from execdash.demo.calendar import Calendar
from execdash.demo.customers import WARMUP, Book
from execdash.demo.names import COGS_COMPONENTS, PRODUCTS
from execdash.demo.writer import BulkWriter

SPEND_PER_NEW_MRR = 5.0


def write_expenses(writer: BulkWriter, rng: random.Random, cal: Calendar, book: Book) -> None:
    """10–16 expense lines a month, Σ = 5 × smoothed new MRR that month (± 10%)."""
    rows: list[tuple[float, str]] = []
    timeline = len(book.starts)
    for m in range(len(cal.months)):
        t = WARMUP + m
        window = book.starts[max(t - 2, 0) : min(t + 3, timeline)]
        budget = round(SPEND_PER_NEW_MRR * sum(window) / len(window) * (0.9 + 0.2 * rng.random()))
        lines = rng.randint(10, 16)
        weights = [rng.random() + 0.2 for _ in range(lines)]
        whole = sum(weights)
        parts = [int(budget * w / whole) for w in weights]
        parts[-1] += budget - sum(parts)
        d0, nd = cal.first_day[m], cal.month_len[m]
        for cents in parts:
            rows.append((cents / 100, cal.day_iso[d0 + int(rng.random() * nd)]))
    writer.write("expenses", ("cost", "date"), rows)


def write_products(
    writer: BulkWriter, rng: random.Random, cal: Calendar, recognized: list[int]
) -> None:
    """Daily revenue per product from each month's recognized pence; then the all-time Σ."""
    names = [n for n, _ in PRODUCTS]
    shares = [s for _, s in PRODUCTS]
    totals = [0] * len(names)
    rows: list[tuple[str, str, float]] = []
    for m in range(len(cal.months)):
        shares = [max(s * (0.95 + 0.1 * rng.random()), 0.01) for s in shares]
        whole = sum(shares)
        shares = [s / whole for s in shares]
        days = list(cal.month_days(m))
        day_w = [(0.35 if cal.days[d].weekday() >= 5 else 1.0) * (0.8 + 0.4 * rng.random())
                 for d in days]  # fmt: skip
        day_total = sum(day_w)
        cells = [
            [d, k, round(recognized[m] * w / day_total * shares[k])]
            for d, w in zip(days, day_w, strict=True)
            for k in range(len(names))
        ]
        # Each cell rounded to the penny gains or loses a few pence a month: the largest cell
        # takes them, so the month's products add up to its recognized revenue exactly.
        max(cells, key=lambda cell: cell[2])[2] += recognized[m] - sum(c[2] for c in cells)
        for d, k, pence in cells:
            totals[k] += pence
            rows.append((cal.day_iso[d], names[k], pence / 100))
    writer.write("top_products_daily", ("period", "name", "revenue"), rows)
    writer.write(
        "top_products",
        ("name", "revenue"),
        [(name, totals[k] / 100) for k, name in enumerate(names)],
    )


def write_cogs_breakdown(writer: BulkWriter, cogs: list[int]) -> None:
    """Cost of the last 12 months' recognized hardware orders, split over components exactly."""
    total = sum(cogs[-12:])
    parts = [round(total * share) for _, share in COGS_COMPONENTS]
    parts[0] += total - sum(parts)
    writer.write(
        "supply_cogs_breakdown",
        ("component", "cost"),
        [(name, cents / 100) for (name, _), cents in zip(COGS_COMPONENTS, parts, strict=True)],
    )
