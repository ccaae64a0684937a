"""Rollup timings: a full rebuild, and the incremental refresh that follows a 200,000-row import."""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.db.engine import create_engine
from execdash.ingest import run_import

IMPORT_ROWS = 200_000


def full_rebuild(url: str) -> dict[str, float]:
    """Seconds to rebuild every rollup from the raw tables in one committed transaction."""
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        written = rollups.rebuild_all(conn)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "rollup_rows": float(sum(written.values()))}


def _orders_file(url: str, directory: Path, rows: int) -> tuple[Path, dt.date, dt.date]:
    """A CSV of `rows` new orders in the latest two months of the data, for existing customers."""
    engine = create_engine(url)
    with engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(s.orders.c.order_date))).scalar_one()
        customers = [c for (c,) in conn.execute(sa.select(s.customers.c.id).limit(5000))]
    engine.dispose()
    last = last if isinstance(last, dt.date) else dt.date.fromisoformat(str(last))
    first = (last.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    span = (last - first).days
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    path = directory / "orders.csv"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["customer_id", "amount", "profit", "order_date", "type"])
        for _ in range(rows):
            amount = round(rng.uniform(100, 5000), 2)
            out.writerow(
                [
                    rng.choice(customers),
                    amount,
                    round(amount * 0.3, 2),
                    (first + dt.timedelta(days=rng.randrange(span + 1))).isoformat(),
                    rng.choice(("booked", "recognized", "subscription", "recurring")),
                ]
            )
    return path, first, last


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def incremental(url: str, directory: Path, rows: int = IMPORT_ROWS) -> dict[str, float]:
    """Time a real `execdash import` of `rows` orders, and the rollup refresh inside it alone.

    The import runs through `run_import` (validation, load, `record_data_change` with the
    appended-rows hint, materialised KPIs). Then, in a transaction that is rolled back, the
    rollup refresh paths are timed on their own for the same 200k rows: adding the appended
    rows, recomputing the months they touched, and rebuilding the order rollups.
    """
    path, first, last = _orders_file(url, directory, rows)
    engine = create_engine(url)
    with engine.connect() as conn:
        mark = rollups.append_marks(conn, ["orders"])["orders"]
    started = time.perf_counter()
    report = run_import(engine, [path], table="orders")
    import_seconds = time.perf_counter() - started
    if not report.ok:
        raise RuntimeError(f"benchmark import failed: {report}")
    appended = {"orders": rollups.Appended(mark)}
    with engine.connect() as conn:
        trans = conn.begin()
        add = _timed(lambda: rollups.refresh(conn, ["orders"], dict(appended)))
        ranged = _timed(lambda: rollups.refresh(conn, ["orders"], {"orders": (first, last)}))
        full = _timed(lambda: rollups.refresh(conn, ["orders"]))
        recorded = _timed(lambda: record_data_change(conn, ["orders"], dict(appended)))
        trans.rollback()
    engine.dispose()
    path.unlink()
    return {
        "rows": float(rows),
        "import_seconds": import_seconds,
        "import_rows_per_s": rows / import_seconds,
        "appended_refresh_seconds": add,
        "ranged_refresh_seconds": ranged,
        "full_table_refresh_seconds": full,
        "record_data_change_seconds": recorded,
    }


def bump_version(url: str) -> None:
    """Record a data change from another process, as `execdash import` does: caches go stale."""
    engine = create_engine(url)
    with engine.begin() as conn:
        record_data_change(conn, [])
    engine.dispose()
