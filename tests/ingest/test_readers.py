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
