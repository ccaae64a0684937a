"""Read-only access to the session's demo database for the coherence tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import create_engine

END = "2026-10"
"""The fixture's end month (see `demo_db_file` in tests/conftest.py)."""


@pytest.fixture(scope="session")
def demo_read(demo_db_file: Path) -> Iterator[Engine]:
    """An engine on the shared demo database; tests using it must not write."""
    engine = create_engine(f"sqlite:///{demo_db_file}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def q(demo_read: Engine) -> Any:
    """Run SQL with bound parameters on the demo database and return all rows as tuples."""

    def run(sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with demo_read.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]

    return run


def months_before(period: str, count: int) -> str:
    """The `YYYY-MM` that is `count` months before `period`."""
    year, month = map(int, period.split("-"))
    index = year * 12 + month - 1 - count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
