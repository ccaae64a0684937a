"""`python -m bench.search`: GET /api/search over 100,000 customers, on SQLite and PostgreSQL.

Each query is asked `--runs` times through the whole app in-process (routing, SQL, ranking,
JSON; every URL differs, so the response cache never answers); the table shows median, p95 and
max in milliseconds. Query kinds: a name prefix (the
indexed range), a whole name, a word inside names (the substring scan that runs when the prefix
does not fill the answer), a miss (a full scan for nothing) and a one-letter prefix.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table
from tests.postgres_server import find_bindir, running_postgres

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import migrate, schema
from execdash.db.engine import create_engine

WORDS = ("Fenwick", "Bluebell", "Saxon", "Kestrel", "Cobalt", "Pemberton", "Harbour", "Willow",
         "Granite", "Meadow", "Estates", "Foods", "Hotels", "Academy", "Logistics",
         "Dairy")  # fmt: skip
SUFFIXES = ("Ltd", "plc", "LLP", "Group", "& Co")
QUERIES = {
    "name prefix": "kestrel fo",
    "whole name": "Kestrel Foods 4711 Ltd",
    "word inside": "dairy 47",
    "miss": "zzqx",
    "one letter": "k",
}
console = Console(width=140)


def _names(count: int) -> list[dict[str, object]]:
    rng = random.Random(20251)  # noqa: S311 - made-up names, not secrets
    return [
        {"id": i, "name": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i} {rng.choice(SUFFIXES)}",
         "industry": "Retail", "source": "Inbound"}
        for i in range(1, count + 1)
    ]  # fmt: skip


def _fill(url: str, count: int) -> None:
    engine = create_engine(url)
    migrate.upgrade(engine)
    rows = _names(count)
    rows[4710]["name"] = "Kestrel Foods 4711 Ltd"
    with engine.begin() as conn:
        for start in range(0, count, 10_000):
            conn.execute(schema.customers.insert(), rows[start : start + 10_000])
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("ANALYZE customers"))
    engine.dispose()


def _measure(url: str, runs: int) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    with TestClient(create_app(Settings(database_url=url))) as client:
        for label, query in QUERIES.items():
            client.get("/api/search", params={"q": query})  # warm
            times = []
            for run in range(runs):
                # `run` makes every URL new, so the response cache never answers for the search
                params: dict[str, str | int] = {"q": query, "limit": 10, "run": run}
                start = time.perf_counter()
                response = client.get("/api/search", params=params)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            found = sum(r["type"] == "customer" for r in response.json())
            times.sort()
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            out[label] = (statistics.median(times), p95, times[-1], found)
    return out


@contextmanager
def _postgres() -> Iterator[str | None]:
    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    with running_postgres(bindir) as server:
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql('CREATE DATABASE "search_bench"')
        admin.dispose()
        yield server.rsplit("/", 1)[0] + "/search_bench"


def main() -> None:
    """Fill, measure and print."""
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    table = Table(title=f"GET /api/search, {args.customers:,} customers, {args.runs} runs (ms)")
    for column in ("backend", "query", "q", "median", "p95", "max", "customers found"):
        table.add_column(column)
    with tempfile.TemporaryDirectory() as tmp, _postgres() as pg_url:
        backends = {"sqlite": f"sqlite:///{Path(tmp) / 'search.db'}"}
        if pg_url:
            backends["postgresql"] = pg_url
        for backend, url in backends.items():
            _fill(url, args.customers)
            for label, (median, p95, worst, found) in _measure(url, args.runs).items():
                table.add_row(backend, label, QUERIES[label], f"{median:.1f}", f"{p95:.1f}",
                              f"{worst:.1f}", str(found))  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
