"""`execdash refresh`: rewrite the materialised tables (timeframe_window, executive_kpis)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from execdash.cli.context import load_settings, open_engine, upgrade_database

out = Console()


def refresh(
    full: bool = typer.Option(
        False, "--full", help="Also rebuild every rollup table from scratch."
    ),
) -> None:
    """Recompute the ten KPIs for the default window (12m, month, latest month) and store them."""
    from execdash.db import rollups
    from execdash.metrics.materialise import refresh as run_refresh

    settings = load_settings()
    engine = open_engine(settings)
    upgrade_database(engine)
    with engine.begin() as conn:
        if full:
            for name, rows in rollups.rebuild_all(conn).items():
                out.print(f"rebuilt {name}: {rows:,} rows")
        done = run_refresh(conn, settings.currency_symbol, fiscal_start=settings.fiscal_year_start)
    out.print(f"as_of {done.as_of}: wrote {len(done.windows)} rows to timeframe_window")
    for w in done.windows:
        out.print(f"  {w.range_key:>4}  {w.start_date} … {w.end_date}")
    table = Table("key", "value", "unit", "delta", "direction", title="executive_kpis")
    for k in done.kpis:
        table.add_row(
            k.key,
            "null" if k.value is None else f"{k.value:,.4f}",
            k.unit,
            "null" if k.delta is None else f"{k.delta:+.4f}",
            k.direction,
        )
    out.print(table)
    engine.dispose()
