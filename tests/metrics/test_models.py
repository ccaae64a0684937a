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
