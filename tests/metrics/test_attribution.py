"""Breakdown reconciliation without a database: slices, 'other' and 'unattributed' add up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.metrics.attribution import OTHER, UNATTRIBUTED, Slice, Tile, reconcile


def sums(tile: Tile, slices: list[Slice], top: int | None = 20):  # type: ignore[no-untyped-def]
    return reconcile(
        tile, slices, dimension="industry", measure="Revenue", unit="currency",
        over="recognized orders, 3 orders", rows=3, top=top,
    )  # fmt: skip


def test_detail_rows_short_of_the_tile_leave_an_unattributed_slice_with_the_gap() -> None:
    result = sums(Tile("revenue", 1000.0), [Slice("Food", 600.0), Slice("Health", 300.0)])
    assert [(i.name, i.value) for i in result.items] == [
        ("Food", 600.0),
        ("Health", 300.0),
        (UNATTRIBUTED, 100.0),
    ]
    assert (result.total, result.attributed, result.unattributed) == (1000.0, 900.0, 100.0)
    assert (result.reconciles, result.difference) == (False, 100.0)
    assert [i.share for i in result.items] == [0.6, 0.3, 0.1]


def test_detail_rows_above_the_tile_give_a_negative_unattributed_slice() -> None:
    result = sums(Tile("revenue", 800.0), [Slice("Food", 600.0), Slice("Health", 300.0)])
    assert result.items[-1].name == UNATTRIBUTED
    assert result.items[-1].value == -100.0
    assert sum(i.value for i in result.items) == 800.0


def test_matching_detail_has_no_unattributed_slice_and_reconciles() -> None:
    result = sums(Tile("revenue", 900.0000001), [Slice("Food", 600.0), Slice("Health", 300.0)])
    assert [i.name for i in result.items] == ["Food", "Health"]
    assert (result.reconciles, result.difference, result.total) == (True, 0.0, 900.0000001)


def test_missing_names_merge_into_one_unknown_slice() -> None:
    result = sums(Tile("revenue", 10.0), [Slice(None, 4.0), Slice("", 6.0)])
    assert [(i.name, i.value) for i in result.items] == [("(unknown)", 10.0)]


def test_ratio_slices_carry_numerator_denominator_and_rate_and_totals_reproduce_the_tile() -> None:
    tile = Tile("gm", 0.4, numerator=400.0, denominator=1000.0, ratio=True)
    result = sums(tile, [Slice("Food", 300.0, 600.0), Slice("Health", 100.0, 400.0)])
    food, health = result.items
    assert (food.numerator, food.denominator, food.rate) == (300.0, 600.0, 0.5)
    assert (health.numerator, health.denominator, health.rate) == (100.0, 400.0, 0.25)
    assert (result.numerator, result.denominator, result.tile) == (400.0, 1000.0, 0.4)
    assert result.kind == "ratio"
    assert result.reconciles


def test_ratio_with_summary_parts_puts_both_gaps_in_the_unattributed_slice() -> None:
    tile = Tile("book_to_bill", 1.2, numerator=120.0, denominator=100.0, ratio=True)
    result = sums(tile, [Slice("Food", 90.0, 0.0), Slice("Food", 0.0, 75.0)])
    assert [(i.name, i.numerator, i.denominator) for i in result.items] == [
        ("Food", 90.0, 75.0),
        (UNATTRIBUTED, 30.0, 25.0),
    ]
    assert result.items[-1].rate == pytest.approx(1.2)
    assert (result.difference, result.denominator_difference) == (30.0, 25.0)
    assert result.numerator / result.denominator == pytest.approx(result.tile)  # type: ignore[operator]


def test_top_slices_then_other_then_unattributed() -> None:
    slices = [Slice(f"C{i}", float(i)) for i in range(1, 6)]
    result = sums(Tile("revenue", 20.0), slices, top=2)
    assert [(i.name, i.value) for i in result.items] == [
        ("C5", 5.0), ("C4", 4.0), (OTHER, 6.0), (UNATTRIBUTED, 5.0),
    ]  # fmt: skip


def test_no_tile_and_no_rows_reconciles_with_no_difference() -> None:
    result = sums(Tile("revenue", None), [])
    assert (result.items, result.reconciles, result.difference, result.total) == ([], True, None, 0)


def test_rows_without_a_tile_do_not_reconcile() -> None:
    result = sums(Tile("revenue", None), [Slice("Food", 5.0)])
    assert (result.reconciles, result.difference, result.total) == (False, None, 5.0)


money = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(lambda v: round(v, 2))
names = st.sampled_from(["Food", "Health", "Retail", None, "", "Energy", "Media"])


@given(
    slices=st.lists(st.tuples(names, money, money), max_size=40),
    tile_value=money,
    tile_den=money,
    top=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    ratio=st.booleans(),
)
def test_random_breakdowns_add_up_to_their_tile(
    slices: list[tuple[str | None, float, float]],
    tile_value: float,
    tile_den: float,
    top: int | None,
    ratio: bool,
) -> None:
    tile = (
        Tile("gm", None, numerator=tile_value, denominator=tile_den, ratio=True)
        if ratio
        else Tile("revenue", tile_value)
    )
    result = sums(tile, [Slice(n, v, d if ratio else None) for n, v, d in slices], top=top)
    assert sum(i.value for i in result.items) == pytest.approx(tile_value, abs=0.01)
    assert result.total == tile_value
    if ratio:
        dens = sum(i.denominator or 0 for i in result.items)
        assert dens == pytest.approx(tile_den, abs=0.01)
    names_seen = [i.name for i in result.items]
    assert len(names_seen) == len(set(names_seen))
    if top is not None:
        assert len(names_seen) <= top + 2
    assert result.reconciles == (UNATTRIBUTED not in names_seen)


def test_half_a_penny_is_the_smallest_gap_reported_and_less_reconciles() -> None:
    """`TOLERANCE` (0.005) is float noise below it and a real gap from it on."""
    gap = sums(Tile("revenue", 0.005), [Slice("Food", 0.0)])
    assert (gap.unattributed, gap.reconciles) == (0.005, False)
    assert gap.items[-1].name == UNATTRIBUTED
    noise = sums(Tile("revenue", 0.004), [Slice("Food", 0.0)])
    assert (noise.unattributed, noise.reconciles) == (0.0, True)
