"""Key sets: integer bitmaps answer like a set, including negative and far-apart ids."""

from __future__ import annotations

import sys

from execdash.ingest.keys import IntKeySet, KeyUnion, PlainKeys


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
    union = KeyUnion([IntKeySet([1, 2]), PlainKeys({3})])
    assert [k in union for k in (1, 3, 4)] == [True, True, False]


def test_present_answers_a_chunk_from_every_kind_of_lookup() -> None:
    bits = IntKeySet([1, 2, 2**40])
    assert bits.present([0, 1, 2**40, "2", None, -3]) == {1, 2**40}
    plain = PlainKeys({("2025-01", "MQL")})
    assert plain.present([("2025-01", "MQL"), ("2025-01", "SQL")]) == {("2025-01", "MQL")}
    assert KeyUnion([bits, PlainKeys({5})]).present([1, 5, 6]) == {1, 5}


def test_update_adds_like_add() -> None:
    bulk = IntKeySet()
    bulk.update([3, 2**21, -7])
    assert [k in bulk for k in (3, 2**21, -7, 4)] == [True, True, True, False]
