"""`execdash backup`: a consistent copy of a live SQLite database, made with `VACUUM INTO`.

`VACUUM INTO` reads the whole database inside one read transaction, so the copy is the
database as it was when the backup started, and writers keep committing meanwhile (WAL mode):
unlike the online backup API, nothing makes it start over, so it finishes under any write rate.
The copy is written next to the target as `<name>.partial` and renamed when complete, so a
backup file that exists is always whole.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    """The backup cannot be made (wrong database kind, unwritable target, ...)."""


def backup_sqlite(engine: Engine, target: Path) -> int:
    """Copy the database behind `engine` to `target` while others keep reading and writing.

    Returns the bytes written. The copy is one consistent snapshot and is checked with
    `PRAGMA quick_check` before it is given its final name.
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
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(url.database, timeout=30)
        try:
            source.execute("VACUUM INTO ?", (str(partial),))
        finally:
            source.close()
        copy = sqlite3.connect(partial)
        try:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if verdict != "ok":
            raise BackupError(f"the copy failed its integrity check: {verdict}")
        partial.replace(target)
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
