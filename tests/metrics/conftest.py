"""Helpers for metrics tests: hand-built rows inserted through the schema's tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import schema as s

Put = Callable[[str, Sequence[Mapping[str, Any]]], None]


def d(text: str) -> dt.date:
    """A date from `YYYY-MM-DD` or the first of a `YYYY-MM` month."""
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


def months(first: str, count: int) -> list[str]:
    """`count` consecutive `YYYY-MM` keys starting at `first`."""
    start = d(first)
    out = []
    for i in range(count):
        index = start.year * 12 + start.month - 1 + i
        out.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    return out


@pytest.fixture
def put(any_engine: Engine) -> Put:
    """Insert rows into a seed table of the test database (both backends), committed."""

    def insert(table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        with any_engine.begin() as conn:
            conn.execute(sa.insert(s.metadata.tables[table]), list(rows))

    return insert
