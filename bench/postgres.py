"""The PostgreSQL side of the benchmark: a database holding the demo company, made for the run.

`BENCH_POSTGRES_URL` names a server to use (a database `execdash_bench` is created there and
dropped afterwards); otherwise a throwaway server is started with initdb + pg_ctl on loopback,
with durable settings (fsync on) and a 512 MB buffer cache, and deleted after the run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from tests.postgres_server import find_bindir, running_postgres

from bench import dataset
from execdash.db.engine import create_engine

DATABASE = "execdash_bench"
SETTINGS = "-c shared_buffers=512MB -c work_mem=64MB -c max_wal_size=4GB"


@contextmanager
def _server() -> Iterator[str]:
    given = os.environ.get("BENCH_POSTGRES_URL")
    if given:
        yield given
        return
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (no initdb); set BENCH_POSTGRES_URL")
    with running_postgres(bindir, SETTINGS) as url:
        yield url


def _admin(server_url: str, statement: str) -> None:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(statement)
    admin.dispose()


@contextmanager
def demo_database(orders: int) -> Iterator[tuple[str, dict[str, float]]]:
    """Yield the URL of a fresh database holding the demo company, and its generation figures."""
    with _server() as server_url:
        _admin(server_url, f'DROP DATABASE IF EXISTS "{DATABASE}"')
        _admin(server_url, f'CREATE DATABASE "{DATABASE}"')
        url = sa.make_url(server_url).set(database=DATABASE).render_as_string(hide_password=False)
        try:
            engine = create_engine(url)
            figures = dataset.generate_into(engine, orders)
            engine.dispose()
            started = time.perf_counter()
            _admin(url, "VACUUM ANALYZE")  # what a DBA runs after a bulk load; planner statistics
            figures["vacuum_analyze_seconds"] = time.perf_counter() - started
            yield url, figures
        finally:
            _admin(server_url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
