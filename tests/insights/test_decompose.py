"""Driver decompositions, checked against hand-computed contributions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.insights import decompose as d


def by_name(result: d.Decomposition) -> dict[str, d.Contribution]:
    return {c.name: c for c in result.contributions}


def test_sum_contribution_is_each_slices_own_change_with_unattributed_remainder() -> None:
    result = d.sum_drivers({"A": 100, "B": 50, "C": 30}, {"A": 120, "B": 40, "D": 60}, 200, 250)
    got = by_name(result)
    assert result.change == 50
    assert {n: c.contribution for n, c in got.items()} == {
        "A": 20, "B": -10, "C": -30, "D": 60, "unattributed": 10,
    }  # fmt: skip
    assert got["C"].status == "lost"
    assert got["D"].status == "new"
    assert got["A"].status == "continuing"
    assert (got["unattributed"].previous, got["unattributed"].current) == (20, 30)
    assert result.total == 50


def test_sum_from_a_zero_previous_value_makes_every_slice_new() -> None:
    result = d.sum_drivers({}, {"A": 10, "B": 5}, 0, 15)
    assert [(c.name, c.contribution, c.status) for c in result.contributions] == [
        ("A", 10, "new"),
        ("B", 5, "new"),
    ]


def test_sum_leaves_out_an_unattributed_slice_that_is_only_float_noise() -> None:
    result = d.sum_drivers({"A": 0.1, "B": 0.2}, {"A": 0.3}, 0.1 + 0.2, 0.3)
    assert [c.name for c in result.contributions] == ["A", "B"]


def test_gross_margin_mix_and_rate_parts_add_up_to_the_change_in_points() -> None:
    # before: X 30/100, Y 10/100 → 20%; now: X 60/150, Y 5/50, Z (new) 20/50 → 34%; R̄ = 27%.
    result = d.ratio_drivers(
        {"X": (30, 100), "Y": (10, 100)},
        {"X": (60, 150), "Y": (5, 50), "Z": (20, 50)},
        (40, 200),
        (85, 250),
    )
    got = by_name(result)
    assert result.change == pytest.approx(0.14)
    assert got["X"].contribution == pytest.approx(0.063)  # 0.24 − 0.15 − 0.27 × 0.1
    assert got["X"].rate == pytest.approx(0.055)  # mean weight 0.55 × margin +0.1
    assert got["X"].mix == pytest.approx(0.008)  # weight +0.1 × (0.35 − 0.27)
    assert got["Y"].contribution == pytest.approx(0.051)  # low-margin Y lost weight: margin up
    assert got["Y"].rate == pytest.approx(0.0)
    assert got["Z"].contribution == pytest.approx(0.026)  # 0.08 − 0.27 × 0.2
    assert got["Z"].status == "new"
    assert got["Z"].rate == 0.0
    assert (got["Z"].previous_rate, got["Z"].current_rate) == (None, 0.4)
    assert "unattributed" not in got
    assert result.total == pytest.approx(0.14, abs=1e-15)


def test_gross_margin_part_outside_the_slices_is_unattributed() -> None:
    result = d.ratio_drivers({"X": (30, 100)}, {"X": (30, 100)}, (40, 200), (30, 100))
    got = by_name(result)
    # the unattributed part held 10/100 before and nothing now: margin 0.2 → 0.3
    assert got["unattributed"].contribution + got["X"].contribution == pytest.approx(0.1)
    assert got["unattributed"].previous == 100
    assert got["unattributed"].current == 0


def test_ratio_without_a_denominator_in_one_window_is_refused() -> None:
    with pytest.raises(ValueError, match="non-zero denominator"):
        d.ratio_drivers({}, {"X": (1, 2)}, (0, 0), (1, 2))


def test_concentration_is_the_share_of_the_largest_positive_slices() -> None:
    assert d.concentration([50, 30, 20, -5], 1) == 0.5
    assert d.concentration([50, 30, 20, -5], 5) == 1.0
    assert d.concentration([0, -1], 1) is None


def test_condense_keeps_the_top_movers_and_sums_the_rest_into_other() -> None:
    result = d.sum_drivers(
        {"A": 10, "B": 10, "C": 10, "D": 10}, {"A": 30, "B": 5, "C": 11, "D": 12}, 50, 68
    )
    condensed = d.condense(result.contributions, 2)
    assert [(c.name, c.contribution) for c in condensed] == [
        ("A", 20), ("B", -5), ("other", 3), ("unattributed", 0),
    ]  # fmt: skip
    assert condensed[2].members == 2
    assert math.fsum(c.contribution for c in condensed) == 18


def test_condense_orders_ups_largest_first_then_downs_largest_first() -> None:
    result = d.sum_drivers({"A": 10, "B": 10, "C": 10}, {"A": 11, "B": 0, "C": 5}, 30, 16)
    assert [c.name for c in d.condense(result.contributions, 5)] == ["A", "B", "C"]


amounts = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)
slices = st.dictionaries(st.sampled_from("ABCDEFGHIJ"), amounts, max_size=10)
positive = st.floats(min_value=1.0, max_value=1e7, allow_nan=False)


@given(slices, slices, amounts, amounts, st.integers(1, 12))
def test_sum_contributions_always_add_up_to_the_change(
    before: dict[str, float], now: dict[str, float], t0: float, t1: float, top: int
) -> None:
    result = d.sum_drivers(before, now, t0, t1)
    scale = max([1.0, abs(t0), abs(t1), *map(abs, before.values()), *map(abs, now.values())])
    assert result.total == pytest.approx(t1 - t0, abs=1e-9 * scale)
    condensed = math.fsum(c.contribution for c in d.condense(result.contributions, top))
    assert condensed == pytest.approx(t1 - t0, abs=1e-9 * scale)


pairs = st.dictionaries(st.sampled_from("ABCDEFG"), st.tuples(amounts, positive), max_size=7)


@given(pairs, pairs, st.tuples(amounts, positive), st.tuples(amounts, positive))
def test_mix_and_rate_contributions_always_add_up_to_the_ratio_change(
    before: dict[str, tuple[float, float]],
    now: dict[str, tuple[float, float]],
    t0: tuple[float, float],
    t1: tuple[float, float],
) -> None:
    result = d.ratio_drivers(before, now, t0, t1)
    change = t1[0] / t1[1] - t0[0] / t0[1]
    scale = max(1.0, abs(t0[0] / t0[1]), abs(t1[0] / t1[1]))
    # each contribution's terms can be as large as a slice's sums over the totals' denominators
    terms = max(
        [1.0, *(abs(c.contribution) for c in result.contributions)]
        + [
            abs(n) / den
            for n, _ in [*before.values(), *now.values(), t0, t1]
            for den in (t0[1], t1[1])
        ]
    )
    for c in result.contributions:
        assert c.mix is not None
        assert c.rate is not None
        size = max(1.0, abs(c.mix), abs(c.rate))
        assert c.mix + c.rate == pytest.approx(c.contribution, abs=1e-9 * size)
    total = math.fsum(c.contribution for c in result.contributions)
    assert total == pytest.approx(change, abs=1e-9 * scale * terms)
