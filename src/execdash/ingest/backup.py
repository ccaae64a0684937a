"""`execdash backup`: a consistent copy of a live SQLite database via SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    """The backup cannot be made (wrong database kind, unwritable target, ...)."""


def backup_sqlite(engine: Engine, target: Path, pages_per_step: int = 1024) -> int:
    """Copy the database behind `engine` to `target` while others keep reading and writing.

    Copies in steps of `pages_per_step` pages; if a writer changes the source meanwhile SQLite
    restarts the copy, so the result is always one consistent snapshot. Returns bytes written.
    """
    url = make_url(engine.url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            f"backup works on SQLite only; for {url.get_backend_name()} use its own tools, "
            "e.g. pg_dump --format=custom --file=execdash.dump DBNAME"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory; there is no file to back up")
    target = target.resolve()
    if target == Path(url.database).resolve():
        raise BackupError("the backup file must not be the database itself")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database, timeout=30)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest, pages=pages_per_step, sleep=0.005)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        source.close()
    return target.stat().st_size
