"""Pass one: read a file once, check every value, learn rate scales and keep the typed rows.

Rows are checked a chunk at a time (`check.ChunkChecker`) and kept in a `RowStore` (memory up to a
bound, then a spill file), so pass two loads them without parsing the source again; the rates'
percent scale is known only after the whole column has been seen, so it is applied in pass two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from execdash.ingest import rules
from execdash.ingest.check import ChunkChecker
from execdash.ingest.columns import TableSpec, table_spec
from execdash.ingest.keys import KeyLookup, PlainKeys
from execdash.ingest.readers import Chunk, ReadError
from execdash.ingest.report import FileReport, ImportReport
from execdash.ingest.sources import Source
from execdash.ingest.store import RowStore


@dataclass
class Batch:
    """A validated file: the columns it sets, its typed rows and its rate divisors."""

    source: Source
    spec: TableSpec
    columns: list[str]
    rows: RowStore
    file: FileReport
    divisors: dict[int, float] = field(default_factory=dict)  # column index -> 100
    keys: KeyLookup = field(default_factory=PlainKeys)


def resolve_header(
    source: Source, raw: list[str], mapping: dict[str, str], mode: str, report: ImportReport
) -> list[str] | None:
    """Column names for the file's header (case-insensitive, trimmed, renamed by --map)."""
    spec = table_spec(source.table)
    known = [c.name for c in spec.columns]
    names = [mapping.get(h.strip().lower(), h.strip().lower()) for h in raw]
    ok = True
    listed = ", ".join(known)
    for position, name in enumerate(names, start=1):
        if not name:
            report.problem(source.name, f"header cell {position} is empty", row=1)
            ok = False
        elif name not in known:
            report.problem(
                source.name,
                f"unknown column for table {spec.name}; valid columns: {listed}",
                row=1,
                column=raw[position - 1],
            )
            ok = False
        elif names.index(name) != position - 1:
            report.problem(source.name, "column appears twice in the header", row=1, column=name)
            ok = False
    for col in spec.columns:
        if col.required and col.name not in names:
            report.problem(source.name, "required column is missing", row=1, column=col.name)
            ok = False
    if mode == "upsert":
        for key in spec.primary_key:
            if key not in names:
                report.problem(
                    source.name, "upsert needs the primary key column", row=1, column=key
                )
                ok = False
    return names if ok else None


def validate(
    source: Source,
    names: list[str],
    chunks: Iterator[Chunk],
    *,
    parents: dict[str, KeyLookup],
    existing: KeyLookup,
    report: ImportReport,
    file_report: FileReport,
    tick: Callable[[], None] | None = None,
    keep: bool = True,
) -> Batch:
    """Check every row of one opened file and keep the typed rows (while clean, if `keep`)."""
    spec = table_spec(source.table)
    checker = ChunkChecker(spec, names, source.name, report, parents, existing)
    store = RowStore()
    count = 0
    problems_before = report.problem_count
    try:
        for numbers, cells in chunks:
            count += len(numbers)
            rows = checker.check(numbers, cells)
            if keep and rows is not None and report.problem_count == problems_before:
                store.add(rows)
            elif store.rows:
                store.discard()  # nothing of this file will be loaded: free it now
            if tick is not None:
                tick()
    except ReadError as exc:
        report.problem(source.name, str(exc), row=exc.row)
    except BaseException:
        store.close()
        raise
    file_report.rows = count
    if count == 0:
        file_report.notes.append(f"{source.name}: header only, no rows")
    result = Batch(source, spec, names, store, file_report, keys=checker.seen)
    for i, peak in checker.peaks.items():
        col = spec.column(names[i])
        threshold = rules.NRR_MAX if col.rate == "nrr" else 1.0
        if peak > threshold:
            result.divisors[i] = 100.0
            file_report.notes.append(f"{spec.name}.{col.name}: read as percent, divided by 100")
    return result
