"""Settings from the environment: the fiscal year start month, read concurrency and their errors."""

from __future__ import annotations

import pytest

from execdash.config import Settings, SettingsError


def test_fiscal_year_starts_in_january_unless_configured() -> None:
    assert Settings.from_env({}).fiscal_year_start == 1
    assert Settings.from_env({"EXECDASH_FISCAL_YEAR_START": " "}).fiscal_year_start == 1
    assert Settings.from_env({"EXECDASH_FISCAL_YEAR_START": "4"}).fiscal_year_start == 4
    assert Settings.from_env({"EXECDASH_FISCAL_YEAR_START": " 12 "}).fiscal_year_start == 12


@pytest.mark.parametrize("bad", ["0", "13", "-4", "April", "4.0", "04x"])
def test_a_bad_fiscal_year_start_names_the_variable_and_the_value(bad: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"EXECDASH_FISCAL_YEAR_START": bad})
    assert f"EXECDASH_FISCAL_YEAR_START={bad!r} is not a month number 1-12" in str(info.value)


def test_read_concurrency_is_one_per_core_and_at_least_two_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert Settings.from_env({}).read_concurrency == 2
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert Settings.from_env({}).read_concurrency == 8
    assert Settings.from_env({"EXECDASH_READ_CONCURRENCY": " 3 "}).read_concurrency == 3


@pytest.mark.parametrize("bad", ["0", "65", "-1", "two", "2.5"])
def test_a_bad_read_concurrency_names_the_variable_and_the_range(bad: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"EXECDASH_READ_CONCURRENCY": bad})
    assert (
        f"EXECDASH_READ_CONCURRENCY={bad!r} is not a whole number of answers from 1 to 64"
        in str(info.value)
    )
