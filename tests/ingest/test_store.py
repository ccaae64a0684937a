"""Typed rows stay in memory up to the budget, spill to disk beyond, and come back in order."""

from __future__ import annotations

from execdash.ingest.store import RowStore, row_bytes


def test_rows_beyond_the_budget_spill_and_come_back_in_order() -> None:
    chunk_bytes = row_bytes([(0, 0.0, None)])
    store = RowStore(memory_bytes=2 * chunk_bytes)  # room for two one-row chunks
    chunks = [[(i, float(i), None)] for i in range(5)]
    for chunk in chunks:
        store.add(chunk)
    spill = store.spill_path
    assert spill is not None
    assert spill.exists()
    assert list(store.chunks()) == chunks
    assert store.rows == 5
    store.close()
    assert not spill.exists()


def test_the_rows_are_handed_over_once_and_the_spill_file_goes_after_them() -> None:
    store = RowStore(memory_bytes=row_bytes([(0, 0.0)]))  # one chunk in memory, one spilled
    store.add([(1, 1.0)])
    store.add([(2, 2.0)])
    spill = store.spill_path
    assert spill is not None
    reading = store.chunks()
    assert next(reading) == [(1, 1.0)]
    assert not store._memory  # released as read: the load never holds what it wrote
    assert list(reading) == [[(2, 2.0)]]
    assert not spill.exists()
    assert list(store.chunks()) == []  # nothing is loaded twice
    assert store.rows == 2


def test_small_imports_never_touch_the_disk() -> None:
    store = RowStore()
    store.add([(1, "2025-01-01", 2.5)])
    assert store.spill_path is None
    assert list(store.chunks()) == [[(1, "2025-01-01", 2.5)]]


def test_discard_frees_memory_and_the_spill_file() -> None:
    store = RowStore(memory_bytes=1)
    store.add([(1, 2)])
    spill = store.spill_path
    assert spill is not None
    store.discard()
    assert list(store.chunks()) == []
    assert store.rows == 0
    assert not spill.exists()


def test_the_budget_weighs_long_texts() -> None:
    short = row_bytes([(1, "a")] * 10)
    long = row_bytes([(1, "a" * 1000)] * 10)
    assert long - short == 10 * 999
