"""Plan files: the importer's readers and value rules, every problem named by file, row and
column, and nothing written unless the whole file is clean."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from execdash.db.tables import plan_targets, plans
from execdash.plans.importer import import_plan, read_plan


def _write(tmp_path: Path, text: str, name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rates_as_percent_money_labels_and_blank_targets(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "KPI,Month,Target,segment_kind,segment\n"
        'Revenue,2026-01,"£800,000",,\n'
        "uptime,2026-01,99.5,,\n"
        "uptime,2026-02,98,,\n"
        "gm,2026-01,38%,,\n"
        "gm,2026-02,0.4,,\n"
        "nrr,2026-01,1.05,,\n"
        "revenue,2026-02,,,\n"
        "revenue,2026-01,100000,industry,Retail\n",
    )
    checked = read_plan(path)
    assert checked.report.ok
    assert sorted(checked.rows) == [
        ("gm", "2026-01", "", "", pytest.approx(0.38)),
        ("gm", "2026-02", "", "", 0.4),
        ("nrr", "2026-01", "", "", 1.05),
        ("revenue", "2026-01", "", "", 800000.0),
        ("revenue", "2026-01", "industry", "Retail", 100000.0),
        ("uptime", "2026-01", "", "", pytest.approx(0.995)),
        ("uptime", "2026-02", "", "", pytest.approx(0.98)),
    ]
    notes = checked.report.files[0].notes
    assert "plan.csv: uptime targets read as percent, divided by 100" in notes
    assert "plan.csv: 1 row(s) without a target skipped" in notes


def test_every_problem_names_row_column_and_value(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "kpi,month,target,segment_kind,segment\n"
        "revenue,2026-13,1,,\n"
        "sales,2026-01,1,,\n"
        "uptime,2026-01,150,,\n"
        "uptime,2026-01,99,,\n"
        "backlog,2026-02,-5,,\n"
        "backlog,2026-02,5,product,Chiller\n"
        "revenue,2026-03,1,industry,\n"
        "nrr,2026-03,abc,,\n",
    )
    report = read_plan(path).report
    assert not report.ok
    assert [str(p) for p in report.problems] == [
        "plan.csv row 2 column month: value '2026-13' is not a month in the form YYYY-MM",
        "plan.csv row 3 column kpi: value 'sales' is not a KPI a plan can hold; valid: revenue, "
        "backlog, uptime, nrr, gm, payback, book_to_bill, coverage_months, arr",
        "plan.csv row 4 column target: value '150' is above 100%",
        "plan.csv row 5 column month: value '2026-01' uptime 2026-01 is already set on row 4",
        "plan.csv row 6 column target: value '-5' is negative; this target cannot be below zero",
        "plan.csv row 7 column segment_kind: value 'product' backlog has no segments",
        "plan.csv row 8 column segment: value '' segment_kind industry needs the industry in "
        "the segment column",
        "plan.csv row 9 column target: value 'abc' is not a number",
    ]


def test_header_problems(tmp_path: Path) -> None:
    report = read_plan(_write(tmp_path, "kpi,month,amount\nrevenue,2026-01,1\n")).report
    assert [str(p) for p in report.problems] == [
        "plan.csv row 1 column amount: unknown column for a plan; valid columns: kpi, month, "
        "target, segment_kind, segment",
        "plan.csv row 1 column target: required column is missing",
    ]
    empty = read_plan(_write(tmp_path, "kpi,month,target\n", "empty.csv")).report
    assert [str(p) for p in empty.problems] == ["empty.csv: the file holds no targets"]
    other = read_plan(_write(tmp_path, "x", "plan.txt")).report
    assert "unsupported file type" in str(other.problems[0])


def test_xlsx_plans_read_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kpi", "month", "target"])
    sheet.append(["revenue", "2026-01", 1000])
    sheet.append(["uptime", "2026-01", 0.99])
    book.save(tmp_path / "budget.xlsx")
    checked = read_plan(tmp_path / "budget.xlsx")
    assert checked.report.ok
    assert sorted(checked.rows) == [
        ("revenue", "2026-01", "", "", 1000.0),
        ("uptime", "2026-01", "", "", 0.99),
    ]


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        count = sa.select(sa.func.count())
        return (
            conn.execute(count.select_from(plans)).scalar_one(),
            conn.execute(count.select_from(plan_targets)).scalar_one(),
        )


def test_import_is_all_or_nothing_and_versions_by_name(engine: Engine, tmp_path: Path) -> None:
    good = _write(tmp_path, "kpi,month,target\nrevenue,2026-01,100\nrevenue,2026-02,110\n")
    bad = _write(tmp_path, "kpi,month,target\nrevenue,2026-01,100\nrevenue,2026-02,x\n", "b.csv")
    report, ref = import_plan(engine, bad, "Budget", activate=True)
    assert (report.ok, ref, _counts(engine)) == (False, None, (0, 0))
    report, ref = import_plan(engine, good, "Budget", dry_run=True)
    assert (report.ok, ref, _counts(engine)) == (True, None, (0, 0))
    _, first = import_plan(engine, good, "Budget", activate=True)
    _, second = import_plan(engine, good, "Budget")
    assert first is not None
    assert second is not None
    assert (first.version, second.version) == (1, 2)
    assert _counts(engine) == (2, 4)
    report, ref = import_plan(engine, good, "  ")
    assert ref is None
    assert str(report.problems[0]) == "plan.csv column name: value '  ' the plan needs a name"
