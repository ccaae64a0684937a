"""`execdash db ...`: create and migrate the database."""

from __future__ import annotations

import typer
from rich.console import Console

from execdash.cli.context import load_settings, open_engine, upgrade_database
from execdash.db import migrate

app = typer.Typer(help="Create, migrate and inspect the database schema.", no_args_is_help=True)
out = Console()


@app.command("upgrade")
def upgrade(
    revision: str = typer.Option("head", help="Alembic revision to migrate to."),
) -> None:
    """Create the database or migrate it to the newest schema."""
    engine = open_engine(load_settings())
    before = migrate.current_revision(engine)
    upgrade_database(engine, revision)
    after = migrate.current_revision(engine)
    if before == after:
        out.print(f"database already at revision {after}")
    else:
        out.print(f"database migrated from {before or 'empty'} to revision {after}")


@app.command("current")
def current() -> None:
    """Show the database's schema revision and the newest one available."""
    engine = open_engine(load_settings())
    out.print(
        f"database at {migrate.current_revision(engine) or 'empty'}; "
        f"newest {migrate.head_revision(engine)}"
    )
