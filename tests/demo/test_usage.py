"""User events: every day of the history, busier on weekdays, growing with subscribers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from execdash.demo.names import USER_EVENTS


def _per_day(q: Any) -> dict[dt.date, int]:
    rows = q("SELECT substr(CAST(event_time AS TEXT), 1, 10), COUNT(*) FROM user_events GROUP BY 1")
    return {dt.date.fromisoformat(day): n for day, n in rows}


def test_every_day_has_events_and_weekdays_are_busier(q: Any) -> None:
    days = _per_day(q)
    assert len(days) == 1096
    weekday = [n for d, n in days.items() if d.weekday() < 5]
    weekend = [n for d, n in days.items() if d.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 2 * sum(weekend) / len(weekend)


def test_activity_grows_with_the_customer_base(q: Any) -> None:
    days = _per_day(q)
    first = sum(n for d, n in days.items() if d < dt.date(2024, 5, 1))
    last = sum(n for d, n in days.items() if d >= dt.date(2026, 5, 1))
    assert last > first


def test_event_types_come_from_the_portal_vocabulary(q: Any) -> None:
    kinds = {k for (k,) in q("SELECT DISTINCT event_type FROM user_events")}
    assert kinds == {name for name, _ in USER_EVENTS}
