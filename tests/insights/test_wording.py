"""Numbers in the summary read like the tiles: £27.7M, 41.6%, 0.3 pts, 1.09×."""

from __future__ import annotations

import datetime as dt

from execdash.insights import wording as w


def test_money_is_compact_with_a_sign_when_asked() -> None:
    assert w.money(27_670_204) == "£27.7M"
    assert w.money(193_017) == "£193K"
    assert w.money(950) == "£950"
    assert w.money(-21_529, signed=True) == "−£21.5K"


def test_money_under_a_pound_reads_in_pence_as_on_the_page() -> None:
    assert w.money(0.2) == "£0.20"
    assert w.money(-0.134, signed=True) == "−£0.13"
    assert w.money(0.5, signed=True) == "+£0.50"
    assert w.money(0) == "£0"
    assert w.money(1) == "£1"
    assert w.money(65_556, "€", signed=True) == "+€65.6K"


def test_ratios_read_as_percentages_points_or_multiples() -> None:
    assert w.percent(0.416) == "41.6%"
    assert w.points(-0.003, signed=True) == "−0.3 pts"
    assert w.points(0.00001, signed=True) == "0.0 pts"
    assert w.value(1.0931, "ratio", "book_to_bill") == "1.09×"
    assert w.value(5.12, "months") == "5.1 mo"
    assert w.signed(-0.0642, "ratio", "book_to_bill") == "−0.06×"


def test_dates_months_and_lists() -> None:
    assert w.month("2026-10") == "Oct 2026"
    assert w.day(dt.date(2020, 1, 31)) == "31 Jan 2020"
    assert w.listed(["a", "b", "c"]) == "a, b and c"
    assert w.listed(["a"]) == "a"


def test_a_contribution_that_rounds_to_nothing_has_no_sign() -> None:
    # a driver line once read "Food & Beverage: −0.0 pts" and "Trade show: +0.00×"
    assert w.signed(-0.0003, "ratio", "gm") == "0.0 pts"
    assert w.signed(0.0035, "ratio", "book_to_bill") == "0.00×"
    assert w.signed(-0.004, "currency") == "£0.00"  # under £1 in pence, as the page
    assert w.signed(-0.4, "currency") == "−£0.40"
    assert w.signed(0.0012, "ratio", "gm") == "+0.1 pts"
    assert w.signed(-1500, "currency") == "−£1.5K"


def test_a_change_reads_as_its_tile_states_it() -> None:
    assert w.tile_change(0.364, 0.363, None, "ratio", "gm") == "+0.1 pts"
    assert w.tile_change(1.09, 1.10, None, "ratio", "book_to_bill") == "−0.01×"
    assert w.tile_change(1_000_000, 1_005_000, -0.004975, "currency") == "−0.5%"
    assert w.tile_change(99.0, None, None, "currency") is None
    assert w.tile_change(5.0, 4.0, None, "months") is None  # no relative change was computed
