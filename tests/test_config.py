"""Settings from the environment: the fiscal year start month and its errors."""

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
