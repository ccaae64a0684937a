"""Plan files (CSV, JSON, XLSX) read by the importer's own readers, checked cell by cell and
stored as a new plan version all-or-nothing; problems name file, row, column and value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from execdash.db.engine import begin_write
from execdash.ingest import values as cells
from execdash.ingest.readers import FORMATS, Chunk, ReadError, open_table
from execdash.ingest.report import FileReport, ImportReport
from execdash.ingest.sources import checksum
from execdash.plans import store
from execdash.plans.catalog import PLANNABLE
from execdash.plans.compare import PlanRef
from execdash.plans.values import RawTarget, kpi_of, percent_scale, ratio_of, segment_of, target_of

COLUMNS = ("kpi", "month", "target", "segment_kind", "segment")
REQUIRED = ("kpi", "month", "target")
TABLE = "plan"
MAX_NAME = 100


@dataclass(slots=True)
class _Pending:
    """A row that passed its own checks, waiting for its KPI's percent scale."""

    row: int
    kpi: str
    month: str
    segment_kind: str
    segment: str
    raw: RawTarget
    text: str


@dataclass(slots=True)
class PlanFile:
    """A checked plan file: its targets (empty when the report has problems)."""

    report: ImportReport
    rows: list[store.Row] = field(default_factory=list)


def _header(name: str, raw: list[str], report: ImportReport) -> list[str] | None:
    names = [h.strip().lower() for h in raw]
    ok = True
    for position, column in enumerate(names, start=1):
        if column not in COLUMNS:
            report.problem(
                name,
                f"unknown column for a plan; valid columns: {', '.join(COLUMNS)}",
                row=1,
                column=raw[position - 1] or f"(column {position})",
            )
            ok = False
        elif names.index(column) != position - 1:
            report.problem(name, "column appears twice in the header", row=1, column=column)
            ok = False
    for column in REQUIRED:
        if column not in names:
            report.problem(name, "required column is missing", row=1, column=column)
            ok = False
    return names if ok else None


def _rows(chunks: Iterator[Chunk]) -> Iterator[tuple[int, list[str]]]:
    for numbers, rows in chunks:
        yield from zip(numbers, rows, strict=True)


def check_rows(
    name: str, names: list[str], rows: Iterator[tuple[int, list[str]]], report: ImportReport
) -> tuple[list[store.Row], int, list[str]]:
    """The targets of `rows`, the rows skipped for an empty target, and notes (pure)."""
    pending: list[_Pending] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    skipped = 0
    for number, row in rows:
        cell = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(names)}
        if not any(cell.values()):
            continue
        if not cell["target"]:
            skipped += 1
            continue
        try:
            spec = kpi_of(cell["kpi"])
        except ValueError as exc:
            report.problem(name, str(exc), row=number, column="kpi", value=cell["kpi"])
            continue
        try:
            month = cells.parse_month(cell["month"])
        except ValueError as exc:
            report.problem(name, str(exc), row=number, column="month", value=cell["month"])
            continue
        try:
            kind, segment = segment_of(spec, cell.get("segment_kind", ""), cell.get("segment", ""))
        except ValueError as exc:
            column = "segment" if "segment column" in str(exc) else "segment_kind"
            report.problem(name, str(exc), row=number, column=column, value=cell.get(column))
            continue
        try:
            raw = target_of(spec, cell["target"])
        except ValueError as exc:
            report.problem(name, str(exc), row=number, column="target", value=cell["target"])
            continue
        key = (spec.key, month, kind, segment)
        if key in seen:
            where = f" for {kind} {segment!r}" if kind else ""
            report.problem(
                name,
                f"{spec.key} {month}{where} is already set on row {seen[key]}",
                row=number,
                column="month",
                value=month,
            )
            continue
        seen[key] = number
        pending.append(_Pending(number, spec.key, month, kind, segment, raw, cell["target"]))
    notes: list[str] = []
    out: list[store.Row] = []
    for kpi, spec in PLANNABLE.items():
        mine = [p for p in pending if p.kpi == kpi]
        scaled = percent_scale(spec, [p.raw for p in mine])
        if scaled:
            notes.append(f"{name}: {kpi} targets read as percent, divided by 100")
        for p in mine:
            try:
                value = ratio_of(spec, p.raw, scaled)
            except ValueError as exc:
                report.problem(name, str(exc), row=p.row, column="target", value=p.text)
                continue
            out.append((p.kpi, p.month, p.segment_kind, p.segment, value))
    return out, skipped, notes


def read_plan(path: Path, name: str | None = None) -> PlanFile:
    """Read and check one plan file; the report lists every problem (rows empty when any)."""
    shown = name or path.name
    report = ImportReport(mode="append", dry_run=False)
    result = PlanFile(report)
    fmt = FORMATS.get(path.suffix.lower())
    if not path.is_file():
        report.problem(shown, "no such file")
        return result
    if fmt is None:
        report.problem(shown, f"unsupported file type; use one of {', '.join(FORMATS)}")
        return result
    file = FileReport(shown, TABLE, checksum=checksum(path))
    report.files.append(file)
    try:
        opened = open_table(path, fmt)
    except ReadError as exc:
        report.problem(shown, str(exc), row=exc.row)
        return result
    except UnicodeDecodeError as exc:
        report.problem(shown, f"not UTF-8 text: {exc.reason}")
        return result
    try:
        names = _header(shown, opened.header, report)
        if names is None:
            return result
        rows, skipped, notes = check_rows(shown, names, _rows(opened.chunks), report)
    except ReadError as exc:
        report.problem(shown, str(exc), row=exc.row)
        return result
    finally:
        opened.close()
    report.problems.sort(key=lambda p: (p.file, p.row or 0))
    file.rows = len(rows)
    file.notes.extend(notes)
    if skipped:
        file.notes.append(f"{shown}: {skipped} row(s) without a target skipped")
    if not rows and report.ok:
        report.problem(shown, "the file holds no targets")
    if report.ok:
        result.rows = rows
    return result


def check_name(plan_name: str) -> str:
    """The plan name trimmed; ValueError when empty or longer than 100 characters."""
    name = plan_name.strip()
    if not name:
        raise ValueError("the plan needs a name")
    if len(name) > MAX_NAME:
        raise ValueError(f"the plan name is longer than {MAX_NAME} characters")
    return name


def import_plan(
    engine: Engine,
    path: Path,
    plan_name: str,
    *,
    activate: bool = False,
    dry_run: bool = False,
    user: str | None = None,
    shown: str | None = None,
) -> tuple[ImportReport, PlanRef | None]:
    """Read `path` and, when it is clean, store it as the next version of `plan_name` in one
    transaction; nothing is written on any problem (or on a dry run)."""
    checked = read_plan(path, shown)
    report = checked.report
    report.dry_run = dry_run
    try:
        name = check_name(plan_name)
    except ValueError as exc:
        report.problem(shown or path.name, str(exc), column="name", value=plan_name)
        return report, None
    if not report.ok or dry_run:
        return report, None
    with begin_write(engine) as conn:
        ref = store.create_plan(
            conn, name, checked.rows, source=shown or path.name, user=user, activate=activate
        )
    return report, ref
