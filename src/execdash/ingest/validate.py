"""Pass one: read a file once, check every value, learn rate scales and spill typed rows to disk.

The typed rows go to a temporary spill file (marshal batches), not memory, so pass two can load
them without parsing the source again; the rates' percent scale is known only after the whole
column has been seen, so it is applied in pass two.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from execdash.ingest import rules
from execdash.ingest.columns import TableSpec, table_spec
from execdash.ingest.converters import Converter, converter
from execdash.ingest.keys import KeyLookup, new_key_set
from execdash.ingest.readers import ReadError
from execdash.ingest.report import FileReport, ImportReport
from execdash.ingest.sources import Source

SPILL_BATCH = 20_000


@dataclass
class Batch:
    """A validated file: the columns it sets, its typed rows on disk and its rate divisors."""

    source: Source
    spec: TableSpec
    columns: list[str]
    spill: Path | None
    file: FileReport
    divisors: dict[int, float] = field(default_factory=dict)  # column index -> 100
    keys: KeyLookup = field(default_factory=set)


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
    rows_iter: object,
    *,
    parents: dict[str, KeyLookup],
    existing: KeyLookup,
    report: ImportReport,
    file_report: FileReport,
    tick: Callable[[], None] | None = None,
) -> Batch:
    """Check every row of one opened file and spill the typed rows (if all is well so far)."""
    spec = table_spec(source.table)
    specs = [spec.column(n) for n in names]
    converters = [converter(c) for c in specs]
    width = len(names)
    key_index = [names.index(k) for k in spec.primary_key if k in names]
    single_key = key_index[0] if len(key_index) == 1 else None
    key_columns = ", ".join(spec.primary_key)
    fk_checks = [
        (
            names.index(col),
            f"{col} {{}} is not a {table}.{parent_col} (no such row)",
            parents[table],
        )
        for col, table, parent_col in spec.foreign_keys
        if col in names
    ]
    rate_index = [i for i, c in enumerate(specs) if c.rate is not None]
    peaks = dict.fromkeys(rate_index, 0.0)
    seen = new_key_set(spec.serial_id)  # bitmap pages for integer ids: memory stays small
    spill_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in the finally below)
        prefix="execdash-import-", suffix=".spill", delete=False
    )
    batch: list[list[object]] = []
    count = 0
    name = source.name
    problems_before = report.problem_count
    try:
        for number, cells in rows_iter:  # type: ignore[attr-defined]
            count += 1
            if len(cells) != width:
                report.problem(name, f"has {len(cells)} cells; the header has {width}", row=number)
                continue
            try:
                out = [convert(text) for convert, text in zip(converters, cells, strict=False)]
            except (ValueError, TypeError):
                _report_cells(report, name, number, names, converters, cells)
                continue
            for i in rate_index:
                value = out[i]
                if value is not None and abs(value) > peaks[i]:  # type: ignore[arg-type]
                    peaks[i] = abs(value)  # type: ignore[arg-type]
            for i, message, valid in fk_checks:
                value = out[i]
                if value is not None and value not in valid:
                    report.problem(
                        name, message.format(value), row=number, column=names[i], value=value
                    )
            if key_index:
                key = (
                    out[single_key] if single_key is not None else tuple(out[i] for i in key_index)
                )
                if key is not None:
                    if key in seen:
                        report.problem(
                            name,
                            f"duplicate key {_key_text(spec, key)} (appears earlier in the file)",
                            row=number,
                            column=key_columns,
                            value=key,
                        )
                    elif key in existing:
                        report.problem(
                            name,
                            f"key {_key_text(spec, key)} already exists in {spec.name} "
                            "(use --mode upsert to update it)",
                            row=number,
                            column=key_columns,
                            value=key,
                        )
                    seen.add(key)  # type: ignore[arg-type]
            if report.problem_count == problems_before:  # spill only while the file is clean
                batch.append(out)
                if len(batch) >= SPILL_BATCH:
                    _spill(spill_file, batch)
                    batch = []
            if tick is not None and count % SPILL_BATCH == 0:
                tick()
        if batch and report.problem_count == problems_before:
            _spill(spill_file, batch)
    except ReadError as exc:
        report.problem(name, str(exc), row=exc.row)
    finally:
        spill_file.close()
    file_report.rows = count
    if count == 0:
        file_report.notes.append(f"{source.name}: header only, no rows")
    result = Batch(source, spec, names, Path(spill_file.name), file_report, keys=seen)
    for i in rate_index:
        col = specs[i]
        threshold = rules.NRR_MAX if col.rate == "nrr" else 1.0
        if peaks[i] > threshold:
            result.divisors[i] = 100.0
            file_report.notes.append(f"{spec.name}.{col.name}: read as percent, divided by 100")
    return result


def _spill(handle: IO[bytes], batch: list[list[object]]) -> None:
    """Append one batch as an 8-byte length and a marshal blob (marshal.load on files is slow)."""
    blob = marshal.dumps(batch)
    handle.write(len(blob).to_bytes(8, "little"))
    handle.write(blob)


def _report_cells(
    report: ImportReport,
    name: str,
    number: int,
    names: list[str],
    converters: list[Converter],
    cells: list[str],
) -> None:
    """Report every bad cell of a row that failed the fast path."""
    for column, convert, text in zip(names, converters, cells, strict=True):
        try:
            convert(text)
        except (ValueError, TypeError) as exc:
            report.problem(name, str(exc), row=number, column=column, value=text)


def _key_text(spec: TableSpec, key: object) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{k}={v}" for k, v in zip(spec.primary_key, parts, strict=True))
