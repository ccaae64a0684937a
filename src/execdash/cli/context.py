"""What every command needs: settings from the environment and a friendly way to fail."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console

from execdash.config import Settings, SettingsError

if TYPE_CHECKING:  # SQLAlchemy is imported when a command opens the database, not for `--help`
    from sqlalchemy.engine import Engine

# soft_wrap: a message naming file, row and column stays on one line in logs and pipes
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `message` in red on stderr and exit with `code`, without a traceback."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """Settings from the environment, or a clear error naming the bad variable."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        fail(str(exc))


def open_engine(settings: Settings) -> Engine:
    """An engine for the configured database, failing clearly if the URL is unusable."""
    import sqlalchemy as sa

    from execdash.alerts import hook
    from execdash.db.engine import create_engine

    hook.install()  # alert rules are evaluated after every data change a command makes
    try:
        engine = create_engine(settings.database_url)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.ArgumentError as exc:
        fail(f"EXECDASH_DATABASE_URL={settings.database_url!r} is not a database URL: {exc}")
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        fail(f"cannot open the database {settings.database_url!r}: {exc.orig}")
    except ModuleNotFoundError as exc:
        fail(f"the driver for {settings.database_url!r} is not installed: {exc.name}")
    return engine


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision`, or fail with one sentence naming what is in the way."""
    import sqlalchemy as sa
    from alembic.util import CommandError

    from execdash.db import migrate
    from execdash.db.preflight import SchemaConflict

    try:
        migrate.upgrade(engine, revision)
    except SchemaConflict as exc:
        fail(f"cannot upgrade the database: {exc}")
    except CommandError as exc:
        fail(f"cannot upgrade the database to {revision!r}: {exc}")
    except sa.exc.SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        fail(
            f"cannot upgrade the database: {str(reason).splitlines()[0]}; nothing was changed "
            f"(the upgrade runs in one transaction). Back the database up, resolve that "
            f"conflict (docs/adopting.md lists what execdash needs), and run "
            f"`execdash db upgrade` again"
        )
