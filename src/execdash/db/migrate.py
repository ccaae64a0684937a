"""Apply Alembic migrations programmatically, so `execdash db upgrade` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Alembic is imported by the functions: a quarter second `--help` need not pay
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged migrations and at `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or migrate the database behind `engine` to `revision`, in one transaction."""
    from alembic import command

    if revision == "head" and _up_to_date(engine):
        return  # nothing to write: no write lock taken (an import beside a busy server starts)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        _follow_catalog(connection)


def _up_to_date(engine: Engine) -> bool:
    """True when the database is at the newest revision with this version's change triggers."""
    import sqlalchemy as sa

    from execdash.db import triggers
    from execdash.db.tables import app_meta, data_versions

    if current_revision(engine) != head_revision(engine):
        return False
    with engine.connect() as connection:
        names = set(sa.inspect(connection).get_table_names())
        if data_versions.name not in names or app_meta.name not in names:
            return False
        return triggers.is_current(connection)


def _follow_catalog(connection: Connection) -> None:
    """Re-create the change triggers, so they follow the rollups this version declares."""
    import sqlalchemy as sa

    from execdash.db import triggers
    from execdash.db.tables import data_versions

    if data_versions.name in sa.inspect(connection).get_table_names():
        triggers.install(connection)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    from execdash.db import legacy_names  # loads the table definitions (SQLAlchemy)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": legacy_names.VERSION_TABLE}
        )
        return context.get_current_revision() or legacy_names.legacy_revision(connection)


def head_revision(engine: Engine) -> str | None:
    """The newest revision shipped with this version of execdash."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
