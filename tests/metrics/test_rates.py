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
