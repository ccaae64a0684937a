"""CSV (BOM, CRLF), JSON arrays, JSON Lines and XLSX all stream into the same validated rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from execdash.ingest import readers, run_import
from tests.ingest.conftest import messages, rows, write


def test_csv_with_bom_and_crlf_reads_clean_headers(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "customers.csv", '\ufeffid,name\r\n1,Acme\r\n2,"Beta\r\nLtd"\r\n')
    report = run_import(engine, [path])
    assert report.ok, messages(report)
    assert [r[:2] for r in rows(engine, "customers")] == [(1, "Acme"), (2, "Beta\r\nLtd")]


def test_json_lines_count_rows_by_line(engine: Engine, tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "cost": 5, "date": "2025-01-01"}',
        "",
        '{"id": 2, "cost": -1, "date": "2025-01-02"}',
    ]
    path = write(tmp_path, "expenses.jsonl", "\n".join(lines) + "\n")
    report = run_import(engine, [path])
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "cost", "-1")]


def test_json_array_streams_across_chunk_boundaries(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "CHUNK", 7)
    records = [
        {"id": i, "cost": i * 1.5, "date": "2025-01-02", "unused": None} for i in range(1, 40)
    ]
    for record in records:
        del record["unused"]
    path = write(tmp_path, "expenses.json", json.dumps(records, indent=2))
    report = run_import(engine, [path])
    assert report.ok, messages(report)
    assert report.rows == 39
    assert rows(engine, "expenses")[-1][:2] == (39, 58.5)


def test_broken_json_array_names_the_record(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "expenses.json", '[{"id": 1, "cost": 5, "date": "2025-01-01"}, {"id": ')
    report = run_import(engine, [path])
    assert len(report.problems) == 1
    assert report.problems[0].row == 2
    assert "not valid JSON" in report.problems[0].message


def test_json_records_with_keys_not_in_the_first_are_rejected(
    engine: Engine, tmp_path: Path
) -> None:
    text = '[{"id": 1, "cost": 5, "date": "2025-01-01"}, {"id": 2, "cost": 5, "day": "x"}]'
    report = run_import(engine, [write(tmp_path, "expenses.json", text)])
    assert "keys ['day'] are not in the first record's keys" in report.problems[0].message


def test_xlsx_reads_typed_cells_including_excel_dates(engine: Engine, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Period", "Win_Rate_Pct", "Sales_Cycle_Days"])
    sheet.append([dt.datetime(2025, 1, 1), 42, 30.0])
    sheet.append(["2025-02", 38.5, 31])
    path = tmp_path / "pipeline_winrate.xlsx"
    book.save(path)
    report = run_import(engine, [path])
    assert report.ok, messages(report)
    assert report.files[0].notes == [
        "pipeline_winrate.win_rate_pct: read as percent, divided by 100"
    ]
    assert rows(engine, "pipeline_winrate") == [("2025-01", 0.42, 30), ("2025-02", 0.385, 31)]


def test_xlsx_row_numbers_are_sheet_rows(engine: Engine, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "cost", "date"])
    sheet.append([1, 5, dt.date(2025, 1, 1)])
    sheet.append([None, None, None])
    sheet.append([3, "lots", dt.date(2025, 1, 3)])
    path = tmp_path / "costs.xlsx"
    book.save(path)
    report = run_import(engine, [path], table="expenses")
    assert [(p.row, p.column, p.value) for p in report.problems] == [(4, "cost", "lots")]


def test_file_that_is_not_utf8_is_reported(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "customers.csv", "id,name\n1,Caf\xe9\n", encoding="latin-1")
    report = run_import(engine, [path])
    assert len(report.problems) == 1
    assert "UTF-8" in report.problems[0].message


def test_a_header_that_is_not_utf8_is_reported_on_row_one(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "customers.csv", "id,n\xe4me\n1,Acme\n", encoding="latin-1")
    report = run_import(engine, [path])
    assert [(p.file, p.row, p.column) for p in report.problems] == [("customers.csv", 1, None)]
    assert "not a readable UTF-8 CSV file" in report.problems[0].message


def test_unsupported_extension_is_rejected(engine: Engine, tmp_path: Path) -> None:
    report = run_import(engine, [write(tmp_path, "orders.txt", "id\n")])
    assert "unsupported file type" in report.problems[0].message


def test_rows_before_a_broken_csv_line_are_still_checked(engine: Engine, tmp_path: Path) -> None:
    huge = "9" * 200_000  # beyond the csv module's field size limit
    body = f"id,cost,date\n1,5,2025-01-01\n2,x,2025-01-02\n3,{huge},2025-01-03\n"
    report = run_import(engine, [write(tmp_path, "expenses.csv", body)])
    assert [(p.row, p.column) for p in report.problems] == [(3, "cost"), (4, None)]
    assert "not a readable UTF-8 CSV line" in report.problems[1].message


def test_chunks_skip_blank_lines_but_count_them(tmp_path: Path) -> None:
    body = "id,cost\n" + "1,5\n\n" * (readers.CHUNK_ROWS // 2 + 3) + "9,9\n"
    table = readers.open_table(write(tmp_path, "expenses.csv", body), "csv")
    try:
        chunks = list(table.chunks)
    finally:
        table.close()
    numbers = [n for chunk_numbers, _ in chunks for n in chunk_numbers]
    assert numbers == [*range(2, readers.CHUNK_ROWS + 8, 2), readers.CHUNK_ROWS + 8]
    assert [len(cells) for cells in chunks[0][1]] == [2] * len(chunks[0][0])


def test_row_text_gives_what_cell_text_gives() -> None:
    values = ["a", "", 7, -2, 2.5, 100.0, 2.0**60, True, False, None, dt.date(2025, 1, 2), [1]]
    assert readers.row_text(values) == [readers.cell_text(v) for v in values]
    assert readers.row_text(values)[:8] == ["a", "", "7", "-2", "2.5", "100", repr(2.0**60), "TRUE"]


def _peak_bytes_reading(path: Path, fmt: str) -> tuple[int, int]:
    """(rows read, peak bytes allocated) while reading every chunk of `path`."""
    import tracemalloc

    tracemalloc.start()
    try:
        table = readers.open_table(path, fmt)
        count = sum(len(numbers) for numbers, _ in table.chunks)
        table.close()
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_json_lines_in_a_json_file_are_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers.chunked, "__defaults__", (500,))  # small chunks, small peak
    line = '{"id": %d, "cost": 5.25, "date": "2025-01-01", "note": "%s"}\n'
    path = tmp_path / "expenses.json"
    with path.open("w") as out:
        for n in range(100_000):
            out.write(line % (n, "x" * 80))
    assert path.stat().st_size > 12 << 20
    count, peak = _peak_bytes_reading(path, "json")
    assert count == 100_000
    assert peak < 6 << 20  # read whole, the file alone would have been 12 MB of text


def test_json_lines_keep_their_numbers_after_leading_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "expenses.json", '\n\n{"id": 1}\n\n{"id": 2}\n')
    table = readers.open_table(path, "json")
    assert [numbers for numbers, _ in table.chunks] == [[3, 5]]
    table.close()


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "e.jsonl"), ("json", "e.json")])
def test_an_overlong_json_line_is_refused_with_its_row_and_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, name: str
) -> None:
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1 << 20)
    path = write(tmp_path, name, '{"id": 1}\n{"id": "' + "x" * (3 << 20) + '"}\n{"id": 3}\n')
    table = readers.open_table(path, fmt)
    with pytest.raises(readers.ReadError, match="longer than 1 MiB") as refused:
        list(table.chunks)
    table.close()
    assert refused.value.row == 2


def test_an_overlong_json_array_record_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1 << 20)
    monkeypatch.setattr(readers, "CHUNK", 64 << 10)
    path = write(tmp_path, "e.json", '[{"id": 1}, {"id": "' + "x" * (3 << 20) + '"}]')
    table = readers.open_table(path, "json")
    with pytest.raises(readers.ReadError, match="longer than 1 MiB") as refused:
        list(table.chunks)
    table.close()
    assert refused.value.row == 2


def _xlsx_bomb(path: Path, shared_strings: int, sheet_cells: int = 1, big_cell: int = 0) -> Path:
    """A minimal workbook whose shared-strings table holds `shared_strings` copies of one word."""
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType="applic'
            'ation/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.op'
            'enxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/x'
            'l/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocume'
            'nt.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" Conte'
            'ntType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
            '+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/pack'
            f'age/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/pack'
            f'age/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings"'
            ' Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><worksheet {ns}><sheetData>'
            + (
                f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"x" * big_cell}</t></is></c></row>'
                if big_cell
                else ""
            )
            + "".join(
                f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>'
                for r in range(2 if big_cell else 1, sheet_cells + 1)
            )
            + "</sheetData></worksheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0"?><sst {ns} count="{shared_strings}" '
            f'uniqueCount="{shared_strings}">' + "<si><t>id</t></si>" * shared_strings + "</sst>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_xlsx_shared_strings_bomb_is_refused_before_it_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "XLSX_MAX_SHARED_STRINGS", 1 << 20)
    path = _xlsx_bomb(tmp_path / "customers.xlsx", shared_strings=200_000)  # 3.6 MB of XML
    assert path.stat().st_size < 64 << 10
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(readers.ReadError) as refused:
            readers.open_table(path, "xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert "1 MiB" in message
    assert "shared-strings" in message
    assert peak < 1 << 20


def test_xlsx_under_the_limits_still_opens(tmp_path: Path) -> None:
    path = _xlsx_bomb(tmp_path / "customers.xlsx", shared_strings=10, sheet_cells=3)
    table = readers.open_table(path, "xlsx")
    assert table.header == ["id"]
    table.close()


def test_xlsx_part_expanding_past_the_ratio_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "XLSX_RATIO_FLOOR", 1 << 20)
    path = _xlsx_bomb(tmp_path / "customers.xlsx", shared_strings=1, big_cell=8 << 20)
    with pytest.raises(readers.ReadError, match=r"sheet1\.xml expands \d+-fold"):
        readers.open_table(path, "xlsx")


def test_dry_run_refuses_the_xlsx_bomb_too(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "XLSX_MAX_SHARED_STRINGS", 1 << 20)
    path = _xlsx_bomb(tmp_path / "customers.xlsx", shared_strings=200_000)
    report = run_import(engine, [path], dry_run=True)
    assert not report.ok
    assert [p.file for p in report.problems] == ["customers.xlsx"]
    assert any("shared-strings" in m for m in messages(report))
