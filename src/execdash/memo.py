"""Results kept for the life of the process, registered so that tests can forget them all.

Statements are built once per shape (SQLAlchemy takes longer to build a select than SQLite to
run a small one) and a forecast is fitted once per history. A test that forgets them builds
what it uses itself, which is what a mutation run needs: a statement kept from before a mutant
was switched on would hide the mutant, and a test that does not build a statement would not be
known to reach the code that builds it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")

_KEPT: list[functools._lru_cache_wrapper[Any]] = []


def kept(
    maxsize: int | None = 128,
) -> Callable[[Callable[..., R]], functools._lru_cache_wrapper[R]]:
    """`functools.lru_cache(maxsize)`, registered with `forget`."""

    def wrap(function: Callable[..., R]) -> functools._lru_cache_wrapper[R]:
        remembered = functools.lru_cache(maxsize=maxsize)(function)
        _KEPT.append(remembered)
        return remembered

    return wrap


def forget() -> None:
    """Drop every kept result (before each test)."""
    for remembered in _KEPT:
        remembered.cache_clear()
