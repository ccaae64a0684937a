"""Vocabularies: unique customer names, weighted picks, shares that add up."""

from __future__ import annotations

import random

import pytest

from execdash.demo.names import COGS_COMPONENTS, INDUSTRIES, PRODUCTS, customer_name, weighted


def test_customer_names_stay_unique_even_when_the_word_lists_repeat() -> None:
    rng = random.Random(4)
    taken: set[str] = set()
    names = [customer_name(rng, "Education", taken) for _ in range(2_000)]
    assert len(set(names)) == 2_000
    assert all(n in taken for n in names)


def test_weighted_pick_follows_the_weights() -> None:
    rng = random.Random(1)
    picks = [weighted(rng, (("a", 0.9), ("b", 0.1))) for _ in range(2_000)]
    assert 0.85 < picks.count("a") / 2_000 < 0.95


@pytest.mark.parametrize("table", [INDUSTRIES, PRODUCTS, COGS_COMPONENTS])
def test_shares_add_up_to_one(table: tuple[tuple[str, float], ...]) -> None:
    assert sum(w for _, w in table) == pytest.approx(1.0)
