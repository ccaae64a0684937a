"""Pass two: bulk index handling, the page cache and the chunked executemany load."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.ingest import load, run_import
from tests.ingest.conftest import write


def expenses(first: int, count: int) -> str:
    """An expenses CSV with ids first..first+count-1."""
    return "id,cost,date\n" + "".join(f"{i},1,2025-01-01\n" for i in range(first, first + count))


def dropped_indexes(engine: Engine, path: Path) -> list[str]:
    """Import `path` and return the DROP INDEX statements it ran."""
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "DROP INDEX" in statement:
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        assert run_import(engine, [path]).ok
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    return statements


def test_indexes_are_dropped_only_when_the_file_outnumbers_the_table(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "BULK_ROWS", 2)
    assert dropped_indexes(engine, write(tmp_path, "expenses.csv", expenses(1, 5))) != []
    (tmp_path / "b").mkdir()
    assert dropped_indexes(engine, write(tmp_path / "b", "expenses.csv", expenses(6, 4))) == []
    (tmp_path / "c").mkdir()
    assert dropped_indexes(engine, write(tmp_path / "c", "expenses.csv", expenses(10, 10))) != []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM expenses").scalar_one() == 19


def test_the_page_cache_is_restored_after_the_load(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    assert run_import(engine, [write(tmp_path, "expenses.csv", expenses(1, 3))]).ok
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == before


def test_awkward_texts_and_nulls_survive_the_load(any_engine: Engine, tmp_path: Path) -> None:
    names = ["tab\there", "back\\slash", "line\nbreak", "\\N", 'quote " and ,comma', "ünï €"]
    body = "id,name,industry\n" + "".join(
        f'{i},"{n.replace(chr(34), chr(34) * 2)}",\n' for i, n in enumerate(names, start=1)
    )
    for mode in ("append", "upsert"):
        folder = tmp_path / mode
        folder.mkdir()
        report = run_import(any_engine, [write(folder, "customers.csv", body)], mode=mode)
        assert report.ok
        with any_engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT name, industry FROM customers ORDER BY id"))
            assert [tuple(r) for r in stored] == [(n, None) for n in names]
        with any_engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM customers"))
