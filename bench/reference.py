"""The same KPIs computed the obvious ways: plain SQL over the raw tables of the database under
test (SQLite or PostgreSQL), and DuckDB.

DuckDB's sqlite and postgres extensions must be downloaded, which this machine cannot do
offline, so the raw tables are exported once to CSV and loaded into an in-memory DuckDB
database; the export and load times are reported separately, the query times are compared.
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
import psycopg
import sqlalchemy as sa

TABLES = ("orders", "customers", "expenses", "revenue_trend", "page_visits")
RECURRING = "('subscription', 'recurring')"
Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def window(run: Run) -> tuple[dt.date, dt.date]:
    """The dashboard's default window: 12 months ending at the latest revenue_trend month."""
    ((latest,),) = run("SELECT max(substr(CAST(period AS VARCHAR), 1, 7)) FROM revenue_trend", [])
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
    """Gross margin split by customer over the window, booked orders aside (the gm drill-down)."""
    return run(
        "SELECT c.name, sum(o.amount), sum(o.profit) FROM orders o "
        "LEFT JOIN customers c ON c.id = o.customer_id "
        "WHERE o.order_date >= ? AND o.order_date <= ? "
        "AND (o.type IS NULL OR o.type <> 'booked') GROUP BY c.name",
        [first.isoformat(), _month_end(end).isoformat()],
    )


def marketing(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Page visits per month over the window and the one before (the marketing page's tile)."""
    return run(
        "SELECT substr(CAST(visit_date AS VARCHAR), 1, 7) AS m, count(*) FROM page_visits "
        "WHERE visit_date >= ? AND visit_date <= ? GROUP BY m",
        [_shift(first, -12).isoformat(), _month_end(end).isoformat()],
    )


WORKLOADS: dict[str, Callable[[Run, dt.date, dt.date], list[Any]]] = {
    "executive": executive,
    "finance": finance,
    "gm_by_customer": gm_by_customer,
    "marketing": marketing,
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


class RawSql:
    """A plain DB-API connection to the database under test: the no-execdash baseline."""

    def __init__(self, url: str) -> None:
        parsed = sa.make_url(url)
        self.backend = parsed.get_backend_name()
        if self.backend == "sqlite":
            self.conn: Any = sqlite3.connect(str(parsed.database))
        else:
            dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self.conn = psycopg.connect(dsn, autocommit=True)

    def run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows of one query; workloads write `?` placeholders, as SQLite and DuckDB do."""
        if self.backend == "sqlite":
            return list(self.conn.execute(sql, list(params)).fetchall())
        with self.conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), list(params))
            return list(cur.fetchall())

    def export(self, table: str, path: Path) -> None:
        """Write one raw table (a name from TABLES) to CSV with a header row."""
        if self.backend == "sqlite":
            cursor = self.conn.execute(f"SELECT * FROM {table}")
            with path.open("w", newline="") as handle:
                out = csv.writer(handle)
                out.writerow([d[0] for d in cursor.description])
                while rows := cursor.fetchmany(50_000):
                    out.writerows(rows)
            return
        copy_sql = f"COPY {table} TO STDOUT (FORMAT CSV, HEADER)"
        with self.conn.cursor() as cur, path.open("wb") as handle, cur.copy(copy_sql) as copy:
            for chunk in copy:
                handle.write(chunk)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def measure(url: str, scratch: Path, repeat: int = 3) -> dict[str, dict[str, float]]:
    """Median milliseconds per workload as plain SQL on the raw tables and in DuckDB."""
    raw = RawSql(url)
    first, end = window(raw.run)
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for table in TABLES:
        raw.export(table, scratch / f"{table}.csv")
    export_seconds = time.perf_counter() - started
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
            "raw_sql_ms": _timed(partial(workload, raw.run, first, end), repeat) * 1000,
            "duckdb_ms": _timed(partial(workload, run_duck, first, end), repeat) * 1000,
        }
    raw.close()
    duck.close()
    for table in TABLES:
        (scratch / f"{table}.csv").unlink(missing_ok=True)
    return out
