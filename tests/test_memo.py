"""Kept results are computed once until forgotten, then computed again."""

from __future__ import annotations

from execdash.memo import forget, kept


def test_a_kept_result_is_computed_once_until_forgotten() -> None:
    calls: list[int] = []

    @kept(4)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    assert (square(3), square(3), square(4)) == (9, 9, 16)
    assert calls == [3, 4]
    forget()
    assert square(3) == 9
    assert calls == [3, 4, 3]
