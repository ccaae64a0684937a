"""Sets of primary keys whose memory does not grow with a multi-gigabyte file's row count.

Integer ids (most big tables) are kept as bits in 128 KiB pages of 2**20 ids each, so a hundred
million dense ids need about 12 MB instead of several GB; other keys (months, dates with stage
names) belong to small tables and use an ordinary set. Every lookup also answers a whole chunk
at once (`present`), so a database-backed lookup can ask with one query per chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

PAGE_BITS = 20
PAGE_MASK = (1 << PAGE_BITS) - 1


class KeyLookup(Protocol):
    """Anything that answers `key in keys`, one key or a chunk of keys at a time."""

    def __contains__(self, key: object, /) -> bool: ...

    def present(self, keys: Iterable[object], /) -> set[object]:
        """The subset of `keys` found."""
        ...


class PlainKeys(set[object]):
    """An ordinary set of keys that also answers a chunk at once."""

    def present(self, keys: Iterable[object]) -> set[object]:
        """The subset of `keys` in this set."""
        return self.intersection(keys)


class IntKeySet:
    """A set of integers stored as bitmap pages allocated on first use."""

    __slots__ = ("_pages",)

    def __init__(self, keys: Iterable[int] = ()) -> None:
        self._pages: dict[int, bytearray] = {}
        self.update(keys)

    def add(self, key: int) -> None:
        """Add `key`."""
        page = self._pages.get(key >> PAGE_BITS)
        if page is None:
            page = self._pages[key >> PAGE_BITS] = bytearray(1 << (PAGE_BITS - 3))
        bit = key & PAGE_MASK
        page[bit >> 3] |= 1 << (bit & 7)

    def update(self, keys: Iterable[int]) -> None:
        """Add every key of `keys` (one loop with the page lookups hoisted)."""
        pages = self._pages
        for key in keys:
            number = key >> PAGE_BITS
            page = pages.get(number)
            if page is None:
                page = pages[number] = bytearray(1 << (PAGE_BITS - 3))
            bit = key & PAGE_MASK
            page[bit >> 3] |= 1 << (bit & 7)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        page = self._pages.get(key >> PAGE_BITS)
        if page is None:
            return False
        bit = key & PAGE_MASK
        return bool(page[bit >> 3] & (1 << (bit & 7)))

    def present(self, keys: Iterable[object]) -> set[object]:
        """The subset of `keys` in this set."""
        pages = self._pages
        found: set[object] = set()
        for key in keys:
            if isinstance(key, int):
                page = pages.get(key >> PAGE_BITS)
                bit = key & PAGE_MASK
                if page is not None and page[bit >> 3] & (1 << (bit & 7)):
                    found.add(key)
        return found


class KeyUnion:
    """Keys in any of several lookups (the table's keys plus those of files being imported)."""

    __slots__ = ("_parts",)

    def __init__(self, parts: Iterable[KeyLookup]) -> None:
        self._parts = list(parts)

    def __contains__(self, key: object) -> bool:
        return any(key in part for part in self._parts)

    def present(self, keys: Iterable[object]) -> set[object]:
        """The subset of `keys` found in any part (each part is asked only for the rest)."""
        rest = set(keys)
        found: set[object] = set()
        for part in self._parts:
            if not rest:
                break
            hits = part.present(rest)
            found |= hits
            rest -= hits
        return found


def new_key_set(integer: bool) -> IntKeySet | PlainKeys:
    """An empty key set: bitmap pages for single integer keys, a plain set otherwise."""
    return IntKeySet() if integer else PlainKeys()
