"""Rates above 1 in a 0–1 column are read as percents and flagged; NRR only above 5."""

from __future__ import annotations

import pytest

from execdash.metrics.rates import normalise_rate, normalise_rows


def test_legacy_percent_is_divided_by_100_and_flagged_with_table_column_period() -> None:
    value, warning = normalise_rate(97.5, "ops_uptime", "uptime", "2025-03")
    assert value == pytest.approx(0.975)
    assert warning is not None
    assert (warning.table, warning.column, warning.period, warning.value) == (
        "ops_uptime",
        "uptime",
        "2025-03",
        97.5,
    )
    assert "ops_uptime.uptime" in warning.message


def test_a_ratio_in_range_passes_without_warning() -> None:
    assert normalise_rate(0.97, "ops_uptime", "uptime", "2025-03") == (0.97, None)
    assert normalise_rate(1.0, "ops_uptime", "uptime", "2025-03") == (1.0, None)


def test_nrr_above_1_is_a_ratio_and_only_above_5_a_percent() -> None:
    assert normalise_rate(1.12, "retention_nrr", "nrr", "2025-03", nrr=True) == (1.12, None)
    value, warning = normalise_rate(112.0, "retention_nrr", "nrr", "2025-03", nrr=True)
    assert value == pytest.approx(1.12)
    assert warning is not None


def test_rows_are_normalised_one_by_one_with_a_warning_each() -> None:
    values, warnings = normalise_rows(
        [("2025-01", 0.5), ("2025-02", 50.0), ("2025-03", 2.0)], "pipeline_winrate", "win_rate_pct"
    )
    assert values == pytest.approx({"2025-01": 0.5, "2025-02": 0.5, "2025-03": 0.02})
    assert [w.period for w in warnings] == ["2025-02", "2025-03"]


def test_the_warning_says_what_was_read_where_and_how_it_was_fixed() -> None:
    _, rate = normalise_rate(97.5, "ops_uptime", "uptime", "2025-03")
    assert rate is not None
    assert rate.message == (
        "ops_uptime.uptime = 97.5 for 2025-03 is above 1 in a 0–1 column; "
        "read as a percent and divided by 100 (0.975)"
    )
    _, nrr = normalise_rate(112.0, "retention_nrr", "nrr", None, nrr=True)
    assert nrr is not None
    assert nrr.message == (
        "retention_nrr.nrr = 112 for a row is above 5 in a ratio column; "
        "read as a percent and divided by 100 (1.12)"
    )


def test_a_column_is_a_0_to_1_rate_unless_told_it_holds_nrr() -> None:
    value, warning = normalise_rate(2.0, "pipeline_winrate", "win_rate_pct", "2025-03")
    assert value == pytest.approx(0.02)
    assert warning is not None
    assert normalise_rate(-1.0, "ops_uptime", "uptime", "2025-03") == (-1.0, None)  # |value| ≤ 1
