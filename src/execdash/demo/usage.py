"""Product usage: user events in the customer portal, rising with the number of subscribers."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from functools import cache

from execdash.demo.calendar import Calendar, iso_datetime
from execdash.demo.customers import WARMUP, Book
from execdash.demo.names import USER_EVENTS
from execdash.demo.writer import BulkWriter

MAX_EVENTS_PER_DAY = 600
BATCH = 100_000
COLUMNS = ("event_type", "event_time")


def write(
    writer: BulkWriter, rng: random.Random, cal: Calendar, book: Book, busy: float = 1.0
) -> None:
    """About 40 + subscribers/4 events a day (capped, times `busy`; fewer at weekends), at random
    times of day."""
    kinds = [k for k, _ in USER_EVENTS]
    cum = list(itertools.accumulate(w for _, w in USER_EVENTS))
    clock = _clock()
    rand = rng.random
    rows: list[tuple[str, str]] = []
    for m in range(len(cal.months)):
        level = min(40 + book.active(WARMUP + m) / 4, MAX_EVENTS_PER_DAY) * busy
        for d in cal.month_days(m):
            day = cal.days[d]
            n = round(level * (0.3 if day.weekday() >= 5 else 1.0) * (0.8 + 0.4 * rng.random()))
            stamps = sorted([int(rand() * 86_400) for _ in range(n)])
            prefix = cal.day_iso[d]
            rows.extend(
                zip(
                    rng.choices(kinds, cum_weights=cum, k=n),
                    [prefix + clock[s] for s in stamps],
                    strict=True,
                )
            )
        if len(rows) >= BATCH:
            writer.write("user_events", COLUMNS, rows)
            rows = []
    if rows:
        writer.write("user_events", COLUMNS, rows)


@cache
def _clock() -> tuple[str, ...]:
    """The time-of-day part of `iso_datetime` for every second of a day, built once."""
    return tuple(iso_datetime(dt.date(2000, 1, 1), s)[10:] for s in range(86_400))
