"""Helpers for import tests: write small files, run imports, fingerprint the database."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.ingest import ImportReport, run_import


def write(directory: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    """Write `text` to directory/name exactly (no newline translation) and return the path."""
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    """Every row of `table`, ordered by its first column."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2"))]


def file_fingerprint(engine: Engine) -> str:
    """SHA-256 of the SQLite file and its WAL: equal before and after means nothing was written."""
    database = engine.url.database
    assert database
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(database + suffix)
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def messages(report: ImportReport) -> list[str]:
    """Each problem as one line of text."""
    return [str(p) for p in report.problems]


@pytest.fixture
def importer(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write files into a fresh directory and import them: importer(engine, {name: text}, **kw)."""

    counter = {"n": 0}

    def run(engine: Engine, files: dict[str, str], **options: Any) -> ImportReport:
        counter["n"] += 1
        folder = tmp_path / f"in{counter['n']}"
        folder.mkdir()
        paths = [write(folder, name, text) for name, text in files.items()]
        return run_import(engine, paths, **options)

    return run
