"""`execdash users ...` and `execdash tokens ...`: accounts for writes and locked reads."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from execdash.cli.context import fail, load_settings, open_engine, upgrade_database

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

users_app = typer.Typer(help="Add and list the people who may log in.", no_args_is_help=True)
tokens_app = typer.Typer(help="Create and revoke API tokens for scripts.", no_args_is_help=True)
out = Console()


def _accounts() -> ModuleType:
    """The accounts module, imported on use: it loads SQLAlchemy and argon2 (a hash at import)."""
    from execdash.api import accounts

    return accounts


def _engine() -> Engine:
    engine = open_engine(load_settings())
    upgrade_database(engine)
    return engine


@users_app.command("add")
def add(
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option("viewer", help="viewer, editor or admin."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (for scripts)."
    ),
) -> None:
    """Add a user; the password is prompted for (twice) unless --password-stdin is given."""
    from execdash.db.tables import ROLES

    if role not in ROLES:
        fail(f"--role {role!r} is not one of {', '.join(ROLES)}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    accounts = _accounts()
    engine = _engine()
    try:
        with engine.begin() as conn:
            accounts.add_user(conn, username, password, role)
    except accounts.AccountError as exc:
        fail(str(exc))
    out.print(f"user {username} added with role {role}")


@users_app.command("list")
def list_users() -> None:
    """Show every user with role and whether it is disabled."""
    accounts = _accounts()
    with _engine().connect() as conn:
        rows = accounts.list_users(conn)
    table = Table("username", "role", "disabled", "created (UTC)")
    for row in rows:
        table.add_row(row.username, row.role, "yes" if row.disabled else "no", str(row.created_at))
    out.print(table)


@tokens_app.command("create")
def create(
    username: str = typer.Argument(..., help="The user the token acts as."),
    name: str = typer.Option("", help="A label, e.g. the script that uses it."),
    expires_days: int | None = typer.Option(None, min=1, help="Expire after N days."),
) -> None:
    """Create an API token and print it once (only its SHA-256 is stored)."""
    accounts = _accounts()
    try:
        with _engine().begin() as conn:
            token = accounts.create_token(conn, username, name, expires_days)
    except accounts.AccountError as exc:
        fail(str(exc))
    print(token)
    Console(stderr=True).print(
        "Store this token now; it cannot be shown again. Use it as: Authorization: Bearer <token>"
    )


@tokens_app.command("revoke")
def revoke(token: str = typer.Argument(..., help="The token itself, or its numeric id.")) -> None:
    """Revoke an API token so it no longer authenticates."""
    accounts = _accounts()
    with _engine().begin() as conn:
        count = accounts.revoke_token(conn, token)
    if count == 0:
        fail("no such token")
    out.print("token revoked")
