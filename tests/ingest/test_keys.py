"""Key sets: integer bitmaps answer like a set, including negative and far-apart ids."""

from __future__ import annotations

import sys

from execdash.ingest.keys import IntKeySet, KeyUnion


def test_int_key_set_answers_like_a_set() -> None:
    ids = [0, 1, 7, 8, 1_048_575, 1_048_576, -1, -1_048_577, 2**62]
    keys = IntKeySet(ids)
    for key in ids:
        assert key in keys
    for key in [2, 6, 9, 1_048_574, 1_048_577, -2, 2**62 + 1, "1", None]:
        assert key not in keys


def test_a_million_dense_ids_take_about_128_kib_per_million() -> None:
    keys = IntKeySet(range(1, 3_000_001))
    pages = keys._pages
    assert len(pages) == 3
    assert sum(sys.getsizeof(p) for p in pages.values()) < 3 * 140_000


def test_union_finds_keys_in_any_part() -> None:
    union = KeyUnion([IntKeySet([1, 2]), {3}])
    assert [k in union for k in (1, 3, 4)] == [True, True, False]
