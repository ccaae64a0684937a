"""Digest periods: which week or month a digest covers, when it falls due, and its key.

A weekly digest is due from Monday `hour`:00 UTC and covers the seven days before; a monthly one
from the 1st at `hour`:00 and covers the month before. The key (`2026-W49`, `2026-12`) names
the period a digest is sent in: one recipient gets one digest per key, ever.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Period:
    """One digest period: its key, when its digest is due, and the span it reports on."""

    key: str
    due: dt.datetime
    since: dt.datetime
    """Start of the span reported on ('new' alerts were raised from here to `due`)."""


def current(frequency: str, now: dt.datetime, hour: int) -> Period:
    """The period `now` (naive UTC) is in: its digest is due from `due` (maybe in the future)."""
    if frequency == "weekly":
        monday = (now - dt.timedelta(days=now.weekday())).date()
        due = dt.datetime.combine(monday, dt.time(hour))
        year, week, _ = monday.isocalendar()
        return Period(f"{year}-W{week:02d}", due, due - dt.timedelta(days=7))
    if frequency == "monthly":
        first = now.date().replace(day=1)
        due = dt.datetime.combine(first, dt.time(hour))
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        return Period(f"{first:%Y-%m}", due, dt.datetime.combine(previous, dt.time(hour)))
    raise ValueError(f"frequency {frequency!r} is not weekly or monthly")


def is_due(period: Period, now: dt.datetime, recipient_since: dt.datetime | None) -> bool:
    """True when the period's digest is due and the recipient existed when it fell due."""
    if now < period.due:
        return False
    return recipient_since is None or recipient_since <= period.due
