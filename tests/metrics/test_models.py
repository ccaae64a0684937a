"""Result models: the timeframe description and the seed contract's unit texts."""

from __future__ import annotations

import datetime as dt

from execdash.metrics.models import Timeframe, seed_unit
from execdash.metrics.windows import resolve_window


def test_timeframe_describes_the_window_and_its_previous_window() -> None:
    tf = Timeframe.of(resolve_window("6m", "quarter", "2025-08"))
    assert (tf.range, tf.granularity, tf.as_of, tf.months) == ("6m", "quarter", "2025-08", 6)
    assert (tf.start_month, tf.end_month) == ("2025-03", "2025-08")
    assert (tf.start_date, tf.end_date) == (dt.date(2025, 3, 1), dt.date(2025, 8, 31))
    assert (tf.previous_start_date, tf.previous_end_date) == (
        dt.date(2024, 9, 1),
        dt.date(2025, 2, 28),
    )


def test_seed_units_are_the_currency_symbol_mo_and_ratio() -> None:
    assert seed_unit("currency", "£") == "£"
    assert seed_unit("currency", "$") == "$"
    assert seed_unit("months") == "mo"
    assert seed_unit("ratio") == "ratio"


def test_timeframe_schema_documents_every_field() -> None:
    schema = Timeframe.model_json_schema()
    assert all("description" in field for field in schema["properties"].values())


def test_timeframe_says_where_the_data_lie_and_whether_the_window_ends_outside_them() -> None:
    def frame(as_of: str, compare: str = "previous") -> Timeframe:
        return Timeframe.of(
            resolve_window(
                "6m",
                "month",
                as_of,
                latest_month=dt.date(2025, 8, 1),
                first_month=dt.date(2023, 1, 1),
                compare=compare,
            )
        )

    last = frame("2025-08", "last_year")
    assert (last.data_first_month, last.data_last_month) == ("2023-01", "2025-08")
    assert (last.compare, last.compare_label) == ("last_year", "same period last year")
    assert (last.beyond_data, last.before_data) == (False, False)  # the last month with data
    assert (frame("2025-09").beyond_data, frame("2025-09").before_data) == (True, False)
    assert (frame("2023-01").beyond_data, frame("2023-01").before_data) == (False, False)
    assert (frame("2022-12").beyond_data, frame("2022-12").before_data) == (False, True)
    unknown = Timeframe.of(resolve_window("6m", "month", "2025-08"))
    assert (unknown.data_first_month, unknown.data_last_month) == (None, None)
    assert (unknown.beyond_data, unknown.before_data) == (False, False)


def test_timeframe_names_the_fiscal_year_the_window_ends_in() -> None:
    # A fiscal year starting in April: August 2025 is in FY2026 (April 2025 to March 2026).
    april = Timeframe.of(resolve_window("6m", "month", "2025-08", fiscal_start=4))
    assert (april.fiscal_year_start, april.fiscal_year) == (4, "FY2026")
    calendar = Timeframe.of(resolve_window("6m", "month", "2025-08"))
    assert (calendar.fiscal_year_start, calendar.fiscal_year) == (1, "FY2025")
