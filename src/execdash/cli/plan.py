"""`execdash plan import / list / show / activate`: plans of monthly targets per KPI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from execdash.cli.context import fail, load_settings, open_engine, upgrade_database
from execdash.cli.ingest import _print_report, _user

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

plan_app = typer.Typer(
    help="Import, list and activate plans (monthly targets).", no_args_is_help=True
)
out = Console()


def _engine() -> Engine:
    engine = open_engine(load_settings())
    upgrade_database(engine)
    return engine


@plan_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV, JSON or XLSX with kpi, month, target.")],
    name: str = typer.Option(..., "--name", help="Plan name; an existing name gets a new version."),
    activate: bool = typer.Option(False, "--activate", help="Make it the active plan."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; write nothing."),
) -> None:
    """Import a plan file all-or-nothing as a new plan, or a new version of one."""
    from execdash.plans.importer import import_plan

    report, ref = import_plan(
        _engine(), file, name, activate=activate, dry_run=dry_run, user=_user()
    )
    if not report.ok:
        _print_report(report)
        raise typer.Exit(1)
    for f in report.files:
        for note in f.notes:
            out.print(f"note: {note}", highlight=False)
    if ref is None:
        out.print(f"validated (dry run, nothing written): {report.rows} targets", highlight=False)
        return
    state = ", active" if activate else ""
    out.print(
        f"imported {report.rows} targets as plan {ref.name!r} version {ref.version} "
        f"(id {ref.id}{state})",
        highlight=False,
    )


@plan_app.command("list")
def list_() -> None:
    """Every plan version, newest first within a name; * marks the active one."""
    from execdash.plans import store

    with _engine().connect() as conn:
        plans = store.list_plans(conn)
    if not plans:
        out.print("no plans yet: import one with `execdash plan import FILE --name NAME`")
        return
    grid = Table("", "id", "name", "version", "targets", "months", "KPIs", "by", "created (UTC)")
    for p in plans:
        grid.add_row(
            "*" if p.active else "",
            str(p.id),
            p.name,
            str(p.version),
            str(p.targets),
            f"{p.first_month} – {p.last_month}" if p.first_month else "",
            ", ".join(p.kpis),
            p.created_by or "",
            f"{p.created_at:%Y-%m-%d %H:%M}",
        )
    Console().print(grid)


def _resolve(conn: sa.Connection, plan: str, version: int | None) -> int:
    from execdash.plans import store

    if plan.isdigit() and version is None:
        found = store.get_plan(conn, int(plan))
        if found is not None:
            return found.id
    ref = store.find_plan(conn, plan, version)
    if ref is None:
        which = f" version {version}" if version is not None else ""
        fail(f"no plan {plan!r}{which}; `execdash plan list` shows the plans")
    return ref.id


@plan_app.command("activate")
def activate(
    plan: str = typer.Argument(..., help="Plan id, or name (newest version unless --version)."),
    version: int | None = typer.Option(None, "--version", help="Version of a named plan."),
) -> None:
    """Make one plan version the one every tile and chart compares with."""
    from execdash.db.engine import begin_write
    from execdash.plans import store

    with begin_write(_engine()) as conn:
        plan_id = _resolve(conn, plan, version)
        store.activate(conn, plan_id)
        info = store.get_plan(conn, plan_id)
    assert info is not None
    out.print(f"active plan: {info.name!r} version {info.version} (id {info.id})", highlight=False)


@plan_app.command("show")
def show(
    plan: str = typer.Argument(..., help="Plan id, or name (newest version unless --version)."),
    version: int | None = typer.Option(None, "--version", help="Version of a named plan."),
) -> None:
    """Print every target of one plan version (rates as percentages)."""
    from execdash.plans import store
    from execdash.plans.catalog import PLANNABLE

    with _engine().connect() as conn:
        plan_id = _resolve(conn, plan, version)
        info = store.get_plan(conn, plan_id)
        targets = store.targets_of(conn, plan_id)
    assert info is not None
    out.print(f"{info.name} version {info.version}{' (active)' if info.active else ''}")
    grid = Table("kpi", "month", "segment", "target")
    for t in targets:
        unit = PLANNABLE[t.kpi].unit if t.kpi in PLANNABLE else "count"
        shown = (
            f"{t.target * 100:.2f}%"
            if unit == "ratio" and t.kpi != "book_to_bill"
            else f"{t.target:,.2f}"
        )
        grid.add_row(t.kpi, t.month, f"{t.segment_kind} {t.segment}".strip(), shown)
    Console().print(grid)
