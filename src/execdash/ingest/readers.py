"""Streaming readers for CSV, JSON (array or JSON Lines) and XLSX: a header, then rows of text.

Every reader yields chunks of up to `CHUNK_ROWS` rows as `(row_numbers, rows)`, cells as strings
("" for empty), so one validator serves all formats and works a chunk at a time. Row numbers are
what a person opening the file sees: CSV and XLSX count the header as row 1; JSON Lines counts
lines; a JSON array counts records from 1. A file that breaks mid-way yields the rows read before
the break, then raises ReadError, so those rows are still checked and reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}
CHUNK = 1 << 20
CHUNK_ROWS = 20_000
"""Rows per chunk: big enough for column-at-a-time speed, small enough to keep memory flat."""

MAX_RECORD_BYTES = 16 << 20
"""Longest JSON record (or JSON Lines line) read: one record is never allowed to fill memory."""
XLSX_MAX_SHARED_STRINGS = 32 << 20
"""Largest shared-strings table (uncompressed XML) in an XLSX: openpyxl holds it all in memory."""
XLSX_MAX_RATIO = 200
"""Highest compression ratio accepted for an XLSX part bigger than `XLSX_RATIO_FLOOR`."""
XLSX_RATIO_FLOOR = 16 << 20
"""Parts smaller than this (uncompressed) are not checked for their compression ratio."""

Chunk = tuple[list[int], list[list[str]]]
"""Row numbers and the rows' cells, in file order."""


class ReadError(ValueError):
    """The file cannot be read as its format (names the row when it can)."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


class CountingReader(io.RawIOBase):
    """A binary file wrapper counting bytes read, for a progress bar by bytes."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.bytes_read += n
        return n


@dataclass
class Table:
    """An open file: its header and an iterator over its rows."""

    header: list[str]
    chunks: Iterator[Chunk]
    progress: Callable[[], int]  # bytes read so far
    close: Callable[[], None]


def open_table(path: Path, fmt: str) -> Table:
    """Open `path` as `fmt` (csv, json, jsonl, xlsx); ReadError for an empty or broken file."""
    if fmt == "xlsx":
        return _open_xlsx(path)
    binary = path.open("rb")
    counter = CountingReader(binary)
    text = io.TextIOWrapper(io.BufferedReader(counter, CHUNK), encoding="utf-8-sig", newline="")
    try:
        if fmt == "csv":
            header, chunks = _csv(text)
        elif fmt == "jsonl":
            header, rows = _records(_json_lines(text))
            chunks = chunked(rows)
        else:
            header, rows = _records(_json_array(text))
            chunks = chunked(rows)
    except BaseException:
        text.close()
        raise
    return Table(header, chunks, lambda: counter.bytes_read, text.close)


def chunked(rows: Iterator[tuple[int, list[str]]], size: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Group `(number, cells)` rows into chunks; rows read before a ReadError come out first."""
    while True:
        numbers: list[int] = []
        cells: list[list[str]] = []
        try:
            for number, row in islice(rows, size):
                numbers.append(number)
                cells.append(row)
        except ReadError:
            if numbers:
                yield numbers, cells
            raise
        if not numbers:
            return
        yield numbers, cells


def _csv(text: IO[str]) -> tuple[list[str], Iterator[Chunk]]:
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError("the file is empty (no header row)") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ReadError(f"not a readable UTF-8 CSV file: {exc}", 1) from None

    def chunks() -> Iterator[Chunk]:
        number = 1  # records so far, the header included; blank lines count but are skipped
        while True:
            numbers: list[int] = []
            rows: list[list[str]] = []
            start = number
            try:
                for row in islice(reader, CHUNK_ROWS):
                    number += 1
                    if row:
                        numbers.append(number)
                        rows.append(row)
            except (csv.Error, UnicodeDecodeError) as exc:
                if rows:
                    yield numbers, rows
                raise ReadError(f"not a readable UTF-8 CSV line: {exc}", number + 1) from None
            if rows:
                yield numbers, rows
            if number - start < CHUNK_ROWS:  # the reader ran out
                return

    return header, chunks()


def cell_text(value: object) -> str:
    """A JSON or spreadsheet cell as the text the validators parse."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value)


def _float_text(value: float) -> str:
    """A float as `cell_text` writes it (whole numbers without `.0`)."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _none_text(_value: None) -> str:
    """An absent value as an empty cell."""
    return ""


_TEXT: dict[type, Callable[[Any], str]] = {
    str: str,
    int: int.__repr__,
    float: _float_text,
    type(None): _none_text,
}
"""`cell_text` for the commonest exact types, looked up by type to skip the isinstance chain."""


def row_text(values: Iterable[object]) -> list[str]:
    """Cells of a JSON or spreadsheet row as text, exactly as `cell_text` gives them."""
    get = _TEXT.get
    return [get(type(v), cell_text)(v) for v in values]


def _records(
    records: Iterator[tuple[int, object]],
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Objects to rows; the header is the first object's keys (later keys must match)."""
    try:
        number, first = next(records)
    except StopIteration:
        raise ReadError("the file holds no records") from None
    if not isinstance(first, dict):
        raise ReadError("each record must be a JSON object of column: value", number)
    header = list(first)

    def rows() -> Iterator[tuple[int, list[str]]]:
        yield number, row_text(first.values())
        for n, record in records:
            if not isinstance(record, dict):
                raise ReadError("each record must be a JSON object of column: value", n)
            if list(record) != header:
                extra = [k for k in record if k not in header]
                if extra:
                    raise ReadError(f"keys {extra} are not in the first record's keys", n)
                yield n, row_text(record.get(k) for k in header)
                continue
            yield n, row_text(record.values())

    return header, rows()


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.3g} MiB"


def _bounded_lines(text: IO[str], head: str = "") -> Iterator[str]:
    """Lines of `head` then `text`, each at most MAX_RECORD_BYTES characters (else ReadError)."""
    limit = MAX_RECORD_BYTES
    number = 0
    pending = head
    while True:
        if "\n" in pending:
            line, pending = pending.split("\n", 1)
            line += "\n"
        else:
            more = text.readline(limit + 1 - len(pending)) if len(pending) <= limit else ""
            line, pending = pending + more, ""
            if not line:
                return
        number += 1
        if len(line) > limit:
            raise ReadError(
                f"line is longer than {_mib(limit)}; a record this large is refused "
                "to keep memory bounded",
                number,
            )
        yield line


def _json_lines(text: IO[str], head: str = "") -> Iterator[tuple[int, object]]:
    for number, line in enumerate(_bounded_lines(text, head), start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReadError(f"not valid JSON: {exc.msg}", number) from None


def _json_array(text: IO[str]) -> Iterator[tuple[int, object]]:
    """Objects of a top-level JSON array, decoded one at a time from a sliding buffer."""
    decoder = json.JSONDecoder()
    head = text.read(CHUNK)
    buffer = head.lstrip()
    if not buffer:
        raise ReadError("the file is empty")
    if buffer[0] == "{":
        yield from _json_lines(text, head)  # JSON Lines named .json: streamed line by line
        return
    if buffer[0] != "[":
        raise ReadError("a .json file must hold an array of objects or JSON Lines", 1)
    pos, number, eof = 1, 0, False
    while True:
        while True:
            pos = _skip(buffer, pos)
            if pos < len(buffer) or eof:
                break
            more = text.read(CHUNK)
            eof = not more
            buffer, pos = buffer[pos:] + more, 0
        if pos >= len(buffer):
            raise ReadError("the JSON array is not closed with ]", number + 1)
        if buffer[pos] == "]":
            return
        if number and buffer[pos] == ",":
            pos += 1
            continue
        try:
            record, end = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError as exc:
            if eof:
                raise ReadError(f"not valid JSON: {exc.msg}", number + 1) from None
            if len(buffer) - pos > MAX_RECORD_BYTES:
                raise ReadError(
                    f"record is longer than {_mib(MAX_RECORD_BYTES)}; a record this large is "
                    "refused to keep memory bounded",
                    number + 1,
                ) from None
            more = text.read(CHUNK)
            eof = not more
            buffer, pos = buffer[pos:] + more, 0
            continue
        number += 1
        yield number, record
        pos = end


def _skip(buffer: str, pos: int) -> int:
    while pos < len(buffer) and buffer[pos] in " \t\r\n":
        pos += 1
    return pos


def check_xlsx_parts(path: Path) -> None:
    """Refuse an XLSX whose parts would expand into more memory than any real sheet needs."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"not a readable XLSX workbook: {exc}") from None
    for part in parts:
        name = part.filename
        if name.endswith("sharedStrings.xml") and part.file_size > XLSX_MAX_SHARED_STRINGS:
            raise ReadError(
                f"its shared-strings table is {_mib(part.file_size)} uncompressed, "
                f"over the {_mib(XLSX_MAX_SHARED_STRINGS)} limit for XLSX files (it is held in "
                "memory whole); save the sheet as CSV and import that instead"
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO:
            raise ReadError(
                f"part {name} expands {ratio:.0f}-fold to "
                f"{_mib(part.file_size)}, over the {XLSX_MAX_RATIO}-fold limit for XLSX files "
                "(a compression bomb, not a spreadsheet); save the sheet as CSV instead"
            )


def _open_xlsx(path: Path) -> Table:
    import openpyxl

    check_xlsx_parts(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ReadError(f"not a readable XLSX workbook: {exc}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [cell_text(v) for v in next(rows)]
    except StopIteration:
        book.close()
        raise ReadError("the first sheet is empty (no header row)") from None
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    size = path.stat().st_size
    state = {"done": 0}

    def body() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(rows, start=2):
            cells = row_text(row[:width])
            if any(cells) or any(v is not None for v in row[width:]):
                cells += [""] * (width - len(cells))
                if any(v is not None for v in row[width:]):
                    raise ReadError("a cell lies right of the last header column", number)
                yield number, cells
        state["done"] = size

    return Table(header, chunked(body()), lambda: state["done"], book.close)
