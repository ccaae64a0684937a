"""Facts kept for one answer: found again on the same connection and end month, narrowed to the
months asked, and never kept outside `sharing()`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from execdash.metrics.formulas import Facts
from execdash.metrics.shared_facts import find, keep, narrowed, sharing

END = dt.date(2025, 8, 1)
FIRST = dt.date(2024, 1, 1)


def _facts() -> Facts:
    return Facts(
        booked={dt.date(2024, 1, 1): 1.0, dt.date(2025, 1, 1): 2.0},
        recognized={dt.date(2023, 1, 1): 3.0, dt.date(2025, 1, 1): 4.0},
    )


def test_kept_facts_are_found_on_the_same_connection_for_months_inside_them(
    engine: Engine,
) -> None:
    with engine.connect() as conn, engine.connect() as other, sharing():
        kept = keep(conn, END, FIRST, _facts(), [])
        assert find(conn, END, dt.date(2024, 6, 1)) is kept
        assert find(conn, END, FIRST) is kept
        assert find(conn, END, dt.date(2023, 12, 1)) is None  # reaches before what was read
        assert find(conn, dt.date(2025, 7, 1), FIRST) is None  # another end month
        assert find(other, END, FIRST) is None  # another connection, another snapshot


def test_nothing_is_kept_outside_sharing(engine: Engine) -> None:
    with engine.connect() as conn:
        keep(conn, END, FIRST, _facts(), [])
        assert find(conn, END, FIRST) is None
        with sharing():
            assert find(conn, END, FIRST) is None


def test_narrowed_facts_are_what_a_read_from_the_later_month_gives(engine: Engine) -> None:
    with engine.connect() as conn, sharing():
        kept = keep(conn, END, FIRST, _facts(), [])
    facts, warnings = narrowed(kept, dt.date(2024, 6, 1))
    assert facts.booked == {dt.date(2025, 1, 1): 2.0}  # ranged: cut at the month asked
    assert facts.recognized == {dt.date(2023, 1, 1): 3.0, dt.date(2025, 1, 1): 4.0}  # whole
    assert warnings == []
    whole, _ = narrowed(kept, FIRST)
    assert whole.booked == _facts().booked
