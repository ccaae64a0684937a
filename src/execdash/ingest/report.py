"""The import report: what was read, how it was normalised, and every problem found."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_PROBLEMS = 50
"""How many problems a report lists; the rest are only counted."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad value or file: where it is (file, row, column), what it held and why it is bad."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column {self.column}"
        shown = "" if self.value is None else f" value {self.value!r}"
        return f"{where}:{shown} {self.message}"


@dataclass(slots=True)
class FileReport:
    """What one file contributed: its table, row count, checksum and normalisation notes."""

    file: str
    table: str
    rows: int = 0
    checksum: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    """The outcome of one invocation: ok only when every file validated and loaded."""

    mode: str
    dry_run: bool
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return self.problem_count == 0

    @property
    def rows(self) -> int:
        """Rows read over all files."""
        return sum(f.rows for f in self.files)

    def add(self, problem: Problem) -> None:
        """Count `problem`, keeping the first MAX_PROBLEMS for display."""
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def problem(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        """Record a problem built from its parts (values shown as text, shortened)."""
        shown = None if value is None else str(value)[:80]
        self.add(Problem(file, row, column, shown, message))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, the same for the CLI, the HTTP API and the import log."""
        return {
            "ok": self.ok,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "files": [asdict(f) for f in self.files],
            "problem_count": self.problem_count,
            "problems": [asdict(p) for p in self.problems],
        }
