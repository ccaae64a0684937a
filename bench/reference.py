"""The same KPIs computed the obvious ways: plain SQL over the raw tables in SQLite, and DuckDB.

DuckDB's sqlite extension must be downloaded, which this machine cannot do offline, so the raw
tables are exported once to CSV and loaded into an in-memory DuckDB database; the export and
load times are reported separately, the query times are what is compared.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

TABLES = ("orders", "customers", "expenses", "revenue_trend")
RECURRING = "('subscription', 'recurring')"
Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def window(conn: sqlite3.Connection) -> tuple[dt.date, dt.date]:
    """The dashboard's default window: 12 months ending at the latest revenue_trend month."""
    (latest,) = conn.execute("SELECT max(substr(period, 1, 7)) FROM revenue_trend").fetchone()
    end = dt.date.fromisoformat(f"{latest}-01")
    return _shift(end, -11), end


def executive(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """The raw-table inputs of the ten executive KPIs, for the window and the previous window."""
    out: list[Any] = []
    for start, last in ((first, end), (_shift(first, -12), _shift(end, -12))):
        lo, hi = start.isoformat(), _month_end(last).isoformat()
        out += run(
            "SELECT sum(recognized), sum(booked) FROM revenue_trend "
            "WHERE substr(CAST(period AS VARCHAR), 1, 7) BETWEEN ? AND ?",
            [lo[:7], hi[:7]],
        )
        out += run(
            "SELECT sum(profit), sum(amount) FROM orders WHERE order_date >= ? AND order_date <= ?",
            [lo, hi],
        )
        out += run(
            f"SELECT sum(amount) FROM orders WHERE type IN {RECURRING} "
            "AND order_date >= ? AND order_date <= ?",
            [last.isoformat(), hi],
        )
        out += run("SELECT sum(cost) FROM expenses WHERE date >= ? AND date <= ?", [lo, hi])
        out += run(
            f"WITH x AS MATERIALIZED (SELECT customer_id, min(order_date) AS f FROM orders "
            f"WHERE type IN {RECURRING} AND customer_id IS NOT NULL GROUP BY customer_id) "
            "SELECT sum(o.amount), count(DISTINCT o.customer_id) FROM orders o "
            "JOIN x ON x.customer_id = o.customer_id "
            f"WHERE o.type IN {RECURRING} AND o.order_date >= ? AND o.order_date <= ? "
            "AND x.f >= ? AND x.f <= ?",
            [last.isoformat(), hi, lo, hi],
        )
    return out


def finance(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Monthly orders by type and expenses over the window and the one before (finance page)."""
    lo, hi = _shift(first, -12).isoformat(), _month_end(end).isoformat()
    return run(
        "SELECT substr(CAST(order_date AS VARCHAR), 1, 7) AS m, type, sum(amount), sum(profit) "
        "FROM orders WHERE order_date >= ? AND order_date <= ? GROUP BY m, type",
        [lo, hi],
    ) + run(
        "SELECT substr(CAST(date AS VARCHAR), 1, 7) AS m, sum(cost) FROM expenses "
        "WHERE date >= ? AND date <= ? GROUP BY m",
        [lo, hi],
    )


def gm_by_customer(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Gross margin split by customer over the window (the gm drill-down)."""
    return run(
        "SELECT c.name, sum(o.amount), sum(o.profit) FROM orders o "
        "LEFT JOIN customers c ON c.id = o.customer_id "
        "WHERE o.order_date >= ? AND o.order_date <= ? GROUP BY c.name",
        [first.isoformat(), _month_end(end).isoformat()],
    )


WORKLOADS: dict[str, Callable[[Run, dt.date, dt.date], list[Any]]] = {
    "executive": executive,
    "finance": finance,
    "gm_by_customer": gm_by_customer,
}


def _timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def export(sqlite_path: Path, directory: Path) -> float:
    """Write the raw tables DuckDB needs to CSV; return seconds taken."""
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(sqlite_path)
    for table in TABLES:
        cursor = conn.execute(f"SELECT * FROM {table}")  # table names from TABLES only
        with (directory / f"{table}.csv").open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow([d[0] for d in cursor.description])
            while rows := cursor.fetchmany(50_000):
                out.writerows(rows)
    conn.close()
    return time.perf_counter() - started


def measure(sqlite_path: Path, scratch: Path, repeat: int = 3) -> dict[str, dict[str, float]]:
    """Median seconds per workload in SQLite (raw tables) and DuckDB (same rows, loaded)."""
    lite = sqlite3.connect(sqlite_path)
    first, end = window(lite)

    def run_sqlite(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return lite.execute(sql, list(params)).fetchall()

    export_seconds = export(sqlite_path, scratch)
    duck = duckdb.connect()
    started = time.perf_counter()
    for table in TABLES:
        path = str(scratch / f"{table}.csv")
        duck.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto(?, header=true)", [path])
    load_seconds = time.perf_counter() - started

    def run_duck(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return duck.execute(sql, list(params)).fetchall()

    out: dict[str, dict[str, float]] = {
        "_setup": {"csv_export_seconds": export_seconds, "duckdb_load_seconds": load_seconds}
    }
    for name, workload in WORKLOADS.items():
        out[name] = {
            "sqlite_raw_ms": _timed(partial(workload, run_sqlite, first, end), repeat) * 1000,
            "duckdb_ms": _timed(partial(workload, run_duck, first, end), repeat) * 1000,
        }
    lite.close()
    duck.close()
    for table in TABLES:
        (scratch / f"{table}.csv").unlink(missing_ok=True)
    return out
