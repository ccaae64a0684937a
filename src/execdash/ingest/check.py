"""Check one chunk of rows: a column-at-a-time fast path, and a row-by-row path that explains.

The fast path converts whole columns, checks foreign keys and primary keys once per distinct
value, and returns typed rows. It never reports anything: at the first doubt it hands the chunk
to the row-by-row path, which converts cell by cell and reports every bad row, cell, foreign key
and key exactly where it is (file, row, column, value and why), in file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from execdash.ingest.columnar import ColumnConverter, column_converter
from execdash.ingest.columns import TableSpec
from execdash.ingest.converters import Converter, converter
from execdash.ingest.keys import IntKeySet, KeyLookup, PlainKeys, new_key_set
from execdash.ingest.report import ImportReport
from execdash.ingest.store import Row


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A column whose values must be keys of a parent table (or of the files importing it)."""

    index: int
    message: str  # with {} for the value
    parents: KeyLookup


@dataclass
class ChunkChecker:
    """Everything one file's chunks are checked against, and what the file has shown so far."""

    spec: TableSpec
    names: list[str]
    file: str
    report: ImportReport
    parents: dict[str, KeyLookup]
    existing: KeyLookup
    seen: IntKeySet | PlainKeys = field(init=False)
    peaks: dict[int, float] = field(init=False)

    def __post_init__(self) -> None:
        specs = [self.spec.column(n) for n in self.names]
        self.width = len(self.names)
        self.converters: list[Converter] = [converter(c) for c in specs]
        self.columns: list[ColumnConverter] = [
            column_converter(c, f) for c, f in zip(specs, self.converters, strict=True)
        ]
        self.key_index = [self.names.index(k) for k in self.spec.primary_key if k in self.names]
        self.foreign = [
            ForeignKey(
                self.names.index(col),
                f"{col} {{}} is not a {table}.{parent_col} (no such row)",
                self.parents[table],
            )
            for col, table, parent_col in self.spec.foreign_keys
            if col in self.names
        ]
        self.rate_index = [i for i, c in enumerate(specs) if c.rate is not None]
        self.peaks = dict.fromkeys(self.rate_index, 0.0)
        self.seen = new_key_set(self.spec.serial_id)  # bitmap pages for integer ids

    def check(self, numbers: list[int], cells: list[list[str]]) -> list[Row] | None:
        """Typed rows of a clean chunk; None, with every problem reported, for any other."""
        rows = self._fast(cells)
        if rows is not None:
            return rows
        return self._row_by_row(numbers, cells)

    def _keys(self, out: Sequence[Sequence[object]]) -> list[object]:
        """The chunk's primary keys (None for an id left to the database), in row order."""
        if len(self.key_index) == 1:
            return list(out[self.key_index[0]])
        return list(zip(*(out[i] for i in self.key_index), strict=True))

    def _fast(self, cells: list[list[str]]) -> list[Row] | None:
        """Typed rows if every column, foreign key and key passes in bulk; None at any doubt."""
        if set(map(len, cells)) != {self.width}:
            return None
        try:
            out = [
                run(col) for run, col in zip(self.columns, zip(*cells, strict=True), strict=True)
            ]
        except (ValueError, TypeError):
            return None
        for i in self.rate_index:
            filled = [v for v in out[i] if v is not None]
            if filled:
                self.peaks[i] = max(self.peaks[i], max(map(abs, filled)))  # type: ignore[arg-type]
        for fk in self.foreign:
            wanted = set(out[fk.index])
            wanted.discard(None)
            if wanted and len(fk.parents.present(wanted)) != len(wanted):
                return None
        if self.key_index:
            keys = [k for k in self._keys(out) if k is not None]
            distinct = set(keys)
            if len(distinct) != len(keys) or self.seen.present(distinct):
                return None
            if self.existing.present(distinct):
                return None
            self.seen.update(keys)  # type: ignore[arg-type]
        return list(zip(*out, strict=True))

    def _convert(self, cells: list[str]) -> list[object] | None:
        """One row's typed values, or None if its width or any cell is wrong."""
        if len(cells) != self.width:
            return None
        try:
            return [convert(text) for convert, text in zip(self.converters, cells, strict=True)]
        except (ValueError, TypeError):
            return None

    def _row_by_row(self, numbers: list[int], cells: list[list[str]]) -> list[Row] | None:
        """Report every problem of the chunk in file order; the rows if there was none."""
        report, name, before = self.report, self.file, self.report.problem_count
        outs = [self._convert(row) for row in cells]
        good = [out for out in outs if out is not None]
        missing = []
        for fk in self.foreign:
            wanted = {out[fk.index] for out in good} - {None}
            missing.append(wanted - fk.parents.present(wanted))
        clashes: set[object] = set()
        if self.key_index:
            converted = [[out[i] for out in good] for i in range(self.width)]
            clashes = self.existing.present(k for k in self._keys(converted) if k is not None)
        key_columns = ", ".join(self.spec.primary_key)
        for number, row, out in zip(numbers, cells, outs, strict=True):
            if out is None:
                self._report_row(number, row)
                continue
            for i in self.rate_index:
                value = out[i]
                if value is not None and abs(value) > self.peaks[i]:  # type: ignore[arg-type]
                    self.peaks[i] = abs(value)  # type: ignore[arg-type]
            for fk, absent in zip(self.foreign, missing, strict=True):
                value = out[fk.index]
                if value is not None and value in absent:
                    report.problem(
                        name,
                        fk.message.format(value),
                        row=number,
                        column=self.names[fk.index],
                        value=value,
                    )
            if not self.key_index:
                continue
            key = self._keys([[v] for v in out])[0]
            if key is None:
                continue
            if key in self.seen:
                report.problem(
                    name,
                    f"duplicate key {self._key_text(key)} (appears earlier in the file)",
                    row=number,
                    column=key_columns,
                    value=key,
                )
            elif key in clashes:
                report.problem(
                    name,
                    f"key {self._key_text(key)} already exists in {self.spec.name} "
                    "(use --mode upsert to update it)",
                    row=number,
                    column=key_columns,
                    value=key,
                )
            self.seen.add(key)  # type: ignore[arg-type]
        if report.problem_count != before:
            return None
        return [tuple(out) for out in good]

    def _report_row(self, number: int, cells: list[str]) -> None:
        """Report a row of the wrong width, or every bad cell of a row."""
        if len(cells) != self.width:
            self.report.problem(
                self.file, f"has {len(cells)} cells; the header has {self.width}", row=number
            )
            return
        for column, convert, text in zip(self.names, self.converters, cells, strict=True):
            try:
                convert(text)
            except (ValueError, TypeError) as exc:
                self.report.problem(self.file, str(exc), row=number, column=column, value=text)

    def _key_text(self, key: object) -> str:
        parts = key if isinstance(key, tuple) else (key,)
        return ", ".join(f"{k}={v}" for k, v in zip(self.spec.primary_key, parts, strict=True))
