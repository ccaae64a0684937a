"""`execdash demo`: fill the database with the deterministic demo company."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console

from execdash.cli.context import fail, load_settings, open_engine, upgrade_database

out = Console()


def demo(
    seed: int = typer.Option(20251, help="Random seed; the same seed gives the same company."),
    orders: int = typer.Option(60_000, min=1, help="How many orders to generate."),
    months: int = typer.Option(36, min=13, max=120, help="Months of history to generate."),
    end_month: str = typer.Option(
        "", help="Last month of history as YYYY-MM (default: the current month)."
    ),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing when the database already holds data."
    ),
) -> None:
    """Create the demo company: 36 months of a manufacturing-plus-SaaS business."""
    from execdash.demo import generate, has_data

    try:
        end = (
            dt.datetime.strptime(end_month, "%Y-%m").date()
            if end_month
            else dt.date.today().replace(day=1)
        )
    except ValueError:
        fail(f"--end-month {end_month!r} is not a month like 2025-08")
    engine = open_engine(load_settings())
    upgrade_database(engine)
    if if_empty and has_data(engine):
        out.print("database already holds data; demo company not generated")
        return
    if has_data(engine):
        fail("the database already holds data; use an empty database for the demo company")
    summary = generate(engine, seed=seed, orders=orders, months=months, end_month=end)
    out.print(summary)
    from execdash.demo.plans import write_plans

    budget, reforecast = write_plans(engine, summary.end_month)
    out.print(
        f"plans: {budget.name!r} and {reforecast.name!r} (active), see `execdash plan list`",
        highlight=False,
    )
