"""Sets of primary keys whose memory does not grow with a multi-gigabyte file's row count.

Integer ids (most big tables) are kept as bits in 128 KiB pages of 2**20 ids each, so a hundred
million dense ids need about 12 MB instead of several GB; other keys (months, dates with stage
names) belong to small tables and use an ordinary set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

PAGE_BITS = 20
PAGE_MASK = (1 << PAGE_BITS) - 1


class KeyLookup(Protocol):
    """Anything that answers `key in keys`."""

    def __contains__(self, key: object, /) -> bool: ...


class IntKeySet:
    """A set of integers stored as bitmap pages allocated on first use."""

    __slots__ = ("_pages",)

    def __init__(self, keys: Iterable[int] = ()) -> None:
        self._pages: dict[int, bytearray] = {}
        for key in keys:
            self.add(key)

    def add(self, key: int) -> None:
        """Add `key`."""
        page = self._pages.get(key >> PAGE_BITS)
        if page is None:
            page = self._pages[key >> PAGE_BITS] = bytearray(1 << (PAGE_BITS - 3))
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


class KeyUnion:
    """Keys in any of several lookups (the table's keys plus those of files being imported)."""

    __slots__ = ("_parts",)

    def __init__(self, parts: Iterable[KeyLookup]) -> None:
        self._parts = list(parts)

    def __contains__(self, key: object) -> bool:
        return any(key in part for part in self._parts)


def new_key_set(integer: bool) -> IntKeySet | set[object]:
    """An empty key set: bitmap pages for single integer keys, a plain set otherwise."""
    return IntKeySet() if integer else set()
