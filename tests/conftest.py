"""Shared fixtures: real SQLite files in tmp_path and, when installed, a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.engine import Engine

from execdash.db import migrate
from execdash.db.engine import create_engine
from execdash.memo import forget
from tests.postgres_server import find_bindir, running_postgres

IN_CI = os.environ.get("CI", "").lower() == "true"

# An in-process `execdash import` (CliRunner) would lower the test worker's own CPU priority for
# good; the drill passes the shipped default (auto) to its `execdash import` subprocess.
os.environ.setdefault("EXECDASH_IMPORT_NICE", "0")

# Property tests check answers, not speed (speed is `make bench`'s job): no per-example deadline,
# so a busy machine cannot fail a correct example.
settings.register_profile("execdash", deadline=None)
settings.load_profile("execdash")


@pytest.fixture(autouse=True)
def statements_built_by_each_test() -> None:
    """Each test builds the statements it runs (`execdash.memo`): none is kept from an earlier
    test, so mutation testing knows which tests reach a builder and never runs a kept one."""
    forget()


def require(condition: bool, reason: str) -> None:
    """Skip with `reason` on a laptop; in CI a missing dependency is a failure, never a skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server started for this test session (initdb + pg_ctl, loopback)."""
    bindir = find_bindir()
    require(bindir is not None, "PostgreSQL binaries (initdb, pg_ctl) are not installed")
    assert bindir is not None
    with running_postgres(bindir) as url:
        yield url


def _fresh_postgres_database(server_url: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of an empty SQLite file in this test's temporary directory."""
    return f"sqlite:///{tmp_path / 'execdash.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'execdash.db'}"
    server_url: str = request.getfixturevalue("postgres_server_url")
    return _fresh_postgres_database(server_url)


@pytest.fixture
def any_engine(any_url: str) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    engine = create_engine(any_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """A migrated, empty SQLite database."""
    engine = create_engine(sqlite_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated SQLite file a module's property tests refill for every example (one file per
    module: creating and migrating one per example would dominate their time)."""
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('scratch') / 'scratch.db'}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo company (default seed, 20k orders, 36 months to 2026-10)."""
    import datetime as dt

    from execdash.demo import generate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    generate(
        engine, seed=20251, orders=20_000, months=36, end_month=dt.date(2026, 10, 1), progress=False
    )
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def demo_engine(demo_db_file: Path, tmp_path: Path) -> Iterator[Engine]:
    """A migrated engine on a private copy of the demo database (tests may write to it)."""
    import shutil

    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, copy)
    engine = create_engine(f"sqlite:///{copy}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
