"""`execdash import / export / backup / imports`: move a company's data in and out safely."""

from __future__ import annotations

import getpass
import os
import sys
from contextlib import nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from execdash.cli.context import err, fail, load_settings, open_engine, upgrade_database

if TYPE_CHECKING:  # the import machinery loads SQLAlchemy; each command imports what it runs
    from execdash.ingest import ImportReport

out = Console()
PROGRESS_MIN_BYTES = 8 << 20
"""Files at least this large get a progress bar (when stderr is a terminal)."""


def _print_report(report: ImportReport) -> None:
    for file in report.files:
        for note in file.notes:
            out.print(f"note: {note}", highlight=False)
    if report.ok:
        verb = "validated (dry run, nothing written)" if report.dry_run else "imported"
        for file in report.files:
            out.print(f"{file.file}: {file.rows} rows {verb} into {file.table}", highlight=False)
        out.print(
            f"{verb}: {report.rows} rows from {len(report.files)} file(s), mode {report.mode}",
            highlight=False,
        )
        return
    for problem in report.problems:
        err.print(f"  {problem}", highlight=False, markup=False)
    more = report.problem_count - len(report.problems)
    if more:
        err.print(f"  ... and {more} more problem(s)", highlight=False)
    err.print(
        f"[bold red]error:[/] import failed with {report.problem_count} problem(s); "
        "nothing was written",
        highlight=False,
    )


def _size(path: Path) -> int:
    """Bytes in a file, or in the files directly inside a directory (0 if missing)."""
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return 0


def _user() -> str | None:
    """Who runs the import, for the log: EXECDASH_USER, else the login name if there is one."""
    try:
        return os.environ.get("EXECDASH_USER") or getpass.getuser()
    except (KeyError, OSError):
        return None


POSTGRES_NICE = 10
"""How much an import lowers its CPU priority on PostgreSQL by default (`--nice auto`)."""


def nice_increment(raw: str, backend: str) -> int:
    """The CPU priority increment for `--nice` (`auto`, or 0-19) on `backend`.

    An import is batch work. On PostgreSQL it never waits for the server's writes, so `auto`
    lowers its priority by 10: beside a busy server on the same cores the scheduler gives the
    readers the CPU first (alone, it runs at full speed). On SQLite `auto` keeps it: there the
    import must win the database's one write lock between the server's writes, and a
    low-priority process wakes too late to catch those gaps.
    """
    if raw.strip().lower() == "auto":
        return POSTGRES_NICE if backend == "postgresql" else 0
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= 19:
        fail(f"--nice {raw!r} is not 'auto' or a whole number from 0 to 19")
    return value


def yield_cpu(increment: int) -> None:
    """Lower this process's CPU priority by `increment` where the OS allows it."""
    if increment > 0 and hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(increment)


def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files (orders.csv, ...) or directories.")],
    mode: str = typer.Option("append", help="append, upsert (by primary key) or replace."),
    table: str | None = typer.Option(None, help="Table for files not named after their table."),
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="Rename a column: old=new (repeatable).")
    ] = None,
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; write nothing."),
    nice: str = typer.Option(
        "auto",
        "--nice",
        envvar="EXECDASH_IMPORT_NICE",
        help="Lower this process's CPU priority by N (0-19; 0 keeps it), so a dashboard served "
        "from the same machine stays responsive. auto: 10 on PostgreSQL, 0 on SQLite.",
    ),
) -> None:
    """Import CSV, JSON/JSON Lines or XLSX files, all-or-nothing, and log the import."""
    from execdash.ingest import MODES, parse_mapping, run_import

    if mode not in MODES:
        fail(f"--mode {mode!r} is not one of {', '.join(MODES)}")
    try:
        mapping = parse_mapping(map_ or [])
    except ValueError as exc:
        fail(str(exc))
    settings = load_settings()
    increment = nice_increment(nice, settings.database_url.split(":", 1)[0].split("+", 1)[0])
    engine = open_engine(settings)
    yield_cpu(increment)
    upgrade_database(engine)
    size = sum(_size(p) for p in paths)
    show = sys.stderr.isatty() and size >= PROGRESS_MIN_BYTES
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def progress(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done)

    with bar if show else nullcontext():
        report = run_import(
            engine,
            paths,
            mode=mode,
            dry_run=dry_run,
            table=table,
            mapping=mapping,
            user=_user(),
            progress=progress if show else None,
        )
    _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def export(
    directory: Annotated[Path, typer.Argument(help="Directory to write <table>.csv files to.")],
) -> None:
    """Write every data table as CSV (what `import DIR --mode replace` reads back)."""
    from execdash.ingest.export import export_tables

    engine = open_engine(load_settings())
    upgrade_database(engine)
    try:
        counts = export_tables(engine, directory)
    except OSError as exc:
        fail(f"cannot write to {directory}: {exc}")
    out.print(f"exported {sum(counts.values())} rows from {len(counts)} tables to {directory}")


def backup(
    file: Annotated[Path, typer.Argument(help="New SQLite file to write the copy to.")],
) -> None:
    """Copy the live SQLite database to FILE (safe while the server is serving)."""
    from execdash.ingest.backup import BackupError, backup_sqlite

    engine = open_engine(load_settings())
    try:
        size = backup_sqlite(engine, file)
    except BackupError as exc:
        fail(str(exc))
    out.print(f"backed up the database to {file} ({size} bytes)")


def imports(limit: int = typer.Option(20, min=1, help="How many entries to show.")) -> None:
    """List the most recent imports (newest first)."""
    from execdash.ingest.history import recent_imports

    engine = open_engine(load_settings())
    upgrade_database(engine)
    entries = recent_imports(engine, limit)
    if not entries:
        out.print("no imports yet")
        return
    grid = Table("id", "when (UTC)", "table", "rows", "mode", "file", "user", "sha-256")
    for e in entries:
        grid.add_row(
            str(e["id"]),
            str(e["imported_at"]),
            e["table_name"],
            str(e["rows"]),
            e["mode"],
            e["source"],
            e["username"] or "",
            e["checksum"][:12],
        )
    Console().print(grid)  # created now, so it sizes itself to the current terminal
