"""`execdash export`: every seed table as CSV that `import DIR --mode replace` reads back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import schema


def _cell(value: object) -> str:
    """A value as import reads it back: floats exactly (repr), dates and times ISO, NULL empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_tables(engine: Engine, directory: Path) -> dict[str, int]:
    """Write `<table>.csv` for every seed table (no app tables: nothing secret); rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            result = conn.execution_options(stream_results=True, yield_per=10_000).execute(
                sa.select(table).order_by(*order)
            )
            count = 0
            with (directory / f"{table.name}.csv").open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(table.columns.keys())
                for row in result:
                    writer.writerow([_cell(v) for v in row])
                    count += 1
            counts[table.name] = count
    return counts
