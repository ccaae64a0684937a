"""Turn the paths given to `execdash import` into (file, table, format) sources in load order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from execdash.db.schema import SEED_TABLES
from execdash.ingest.columns import load_order
from execdash.ingest.readers import FORMATS
from execdash.ingest.report import ImportReport


@dataclass(frozen=True, slots=True)
class Source:
    """One file to import: where it is, what to call it in messages, its table and format."""

    path: Path
    name: str
    table: str
    fmt: str


def _format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def resolve(paths: list[Path], table: str | None, report: ImportReport) -> list[Source]:
    """Sources for `paths` (files or directories), parents first; problems go to `report`."""
    found: list[Source] = []
    valid = ", ".join(sorted(SEED_TABLES))
    if table is not None and table.strip().lower() not in SEED_TABLES:
        report.problem(table, f"--table {table!r} is not a table; valid tables: {valid}")
        return []
    for path in paths:
        if path.is_dir():
            if table is not None:
                report.problem(str(path), "--table applies to files, not to a directory")
                continue
            files = sorted(p for p in path.iterdir() if p.is_file() and _format(p))
            if not files:
                report.problem(str(path), f"no {', '.join(FORMATS)} files in this directory")
            candidates = files
        elif path.is_file():
            candidates = [path]
        else:
            report.problem(str(path), "no such file or directory")
            continue
        for file in candidates:
            fmt = _format(file)
            if fmt is None:
                report.problem(str(file), f"unsupported file type; use one of {', '.join(FORMATS)}")
                continue
            name = (table or file.stem).strip().lower()
            if name not in SEED_TABLES:
                report.problem(
                    str(file),
                    f"{file.stem!r} is not a table (name the file after its table or use "
                    f"--table); valid tables: {valid}",
                )
                continue
            found.append(Source(file, file.name, name, fmt))
    order = {name: i for i, name in enumerate(load_order({s.table for s in found}))}
    return sorted(found, key=lambda s: order[s.table])


def checksum(path: Path) -> str:
    """SHA-256 of the file's bytes, as hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
