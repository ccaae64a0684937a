"""The same KPIs computed the obvious ways: plain SQL over the raw tables of the database under
test (SQLite or PostgreSQL), and DuckDB.

DuckDB's sqlite and postgres extensions must be downloaded, which this machine cannot do
offline, so the raw tables are exported once to CSV and loaded into an in-memory DuckDB
database. DuckDB is compared twice: query only, and query plus the load of the tables it reads
(the CSV export is reported apart). The plain SQL groups orders per customer before naming them,
and every date filter is a range on the indexed date column.
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

TABLES = (
    "orders",
    "customers",
    "expenses",
    "revenue_trend",
    "page_visits",
    "top_products_daily",
)
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


def _by_customer(types: str, dimension: str = "c.name") -> str:
    """Orders of `types` in a date range summed per customer first (a narrow GROUP BY on the
    date index's rows), then named: how a careful engineer writes a breakdown by hand."""
    return (
        f"SELECT {dimension}, sum(s.a), sum(s.p), sum(s.n) FROM (SELECT customer_id, "
        "sum(amount) AS a, sum(profit) AS p, count(*) AS n FROM orders "
        f"WHERE order_date >= ? AND order_date <= ?{types} GROUP BY customer_id) s "
        f"LEFT JOIN customers c ON c.id = s.customer_id GROUP BY {dimension}"
    )


def gm_by_customer(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Gross profit and order amount per customer over the window (the gm drill-down)."""
    return run(_by_customer(""), [first.isoformat(), _month_end(end).isoformat()])


def revenue_by(dimension: str) -> Callable[[Run, dt.date, dt.date], list[Any]]:
    """Recognized orders over the window by customer, industry or source (revenue drill-down)."""

    def workload(run: Run, first: dt.date, end: dt.date) -> list[Any]:
        sql = _by_customer(" AND type = 'recognized'", dimension)
        return run(sql, [first.isoformat(), _month_end(end).isoformat()])

    return workload


def book_to_bill_by_customer(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Booked and recognized orders per customer over the window (book-to-bill drill-down)."""
    bounds = [first.isoformat(), _month_end(end).isoformat()]
    return run(_by_customer(" AND type = 'booked'"), bounds) + run(
        _by_customer(" AND type = 'recognized'"), bounds
    )


def arr_by_industry(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Recurring orders of the window's last month by industry (ARR drill-down)."""
    sql = _by_customer(f" AND type IN {RECURRING}", "c.industry")
    return run(sql, [end.isoformat(), _month_end(end).isoformat()])


def revenue_by_product(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Daily product revenue summed by product over the window (the products breakdown)."""
    return run(
        "SELECT name, sum(revenue), count(*) FROM top_products_daily "
        "WHERE period >= ? AND period <= ? GROUP BY name",
        [first.isoformat(), _month_end(end).isoformat()],
    )


def months_of(
    sums: str, table: str, dated: str, where: str = "", *, by_month: bool = False
) -> Callable[..., list[Any]]:
    """A KPI's inputs per month over the window and the 12 months before: what its tile (value,
    previous value, change, months with data), its trend and the trend's comparison line show.
    `by_month`: the table holds one row per `YYYY-MM` (compared as month keys, not dates)."""
    month = f"substr(CAST({dated} AS VARCHAR), 1, 7)"
    span = f"{month} >= ? AND {month} <= ?" if by_month else f"{dated} >= ? AND {dated} <= ?"

    def workload(run: Run, first: dt.date, end: dt.date) -> list[Any]:
        lo, hi = _shift(first, -12).isoformat(), _month_end(end).isoformat()
        return run(
            f"SELECT {month} AS m, {sums} FROM {table} WHERE {span}{where} GROUP BY m",
            [lo[:7], hi[:7]] if by_month else [lo, hi],
        )

    return workload


TRENDS: dict[str, Callable[..., list[Any]]] = {
    "revenue": months_of("sum(recognized)", "revenue_trend", "period", by_month=True),
    "book_to_bill": months_of(
        "sum(booked), sum(recognized)", "revenue_trend", "period", by_month=True
    ),
    "gm": months_of("sum(profit), sum(amount)", "orders", "order_date"),
    "arr": months_of("sum(amount)", "orders", "order_date", f" AND type IN {RECURRING}"),
    "product_revenue": months_of("sum(revenue)", "top_products_daily", "period"),
}
"""The per-month inputs of each KPI a drill-down (or the products page) shows beside its
breakdown; `months_of` says what they give."""


def answer(
    breakdown: Callable[..., list[Any]], trend: Callable[..., list[Any]]
) -> Callable[..., list[Any]]:
    """Every number of a drill-down's answer: its breakdown, and its KPI's tile and trend."""

    def workload(run: Run, first: dt.date, end: dt.date) -> list[Any]:
        return breakdown(run, first, end) + trend(run, first, end)

    workload.__doc__ = f"{breakdown.__doc__} And the KPI's months: {trend.__doc__}"
    return workload


def marketing(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Page visits per month over the window and the one before (the marketing page's tile)."""
    return run(
        "SELECT substr(CAST(visit_date AS VARCHAR), 1, 7) AS m, count(*) FROM page_visits "
        "WHERE visit_date >= ? AND visit_date <= ? GROUP BY m",
        [_shift(first, -12).isoformat(), _month_end(end).isoformat()],
    )


def revenue_drivers_by_customer(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Each customer's recognized revenue in the window and the 12 months before, ranked the
    ways the drivers answer shows (movers, each way, new, lost, largest) with the sums."""
    bounds = [_shift(first, -12).isoformat(), first.isoformat(), _month_end(end).isoformat()]
    per = (
        "WITH s AS MATERIALIZED (SELECT customer_id, "
        "sum(CASE WHEN order_date < ? THEN amount ELSE 0 END) AS p, "
        "sum(CASE WHEN order_date >= ? THEN amount ELSE 0 END) AS c FROM orders "
        "WHERE type = 'recognized' AND order_date >= ? AND order_date <= ? GROUP BY customer_id) "
    )
    ranked = [
        ("p <> 0 OR c <> 0", "abs(c - p) DESC", 9),
        ("c > p", "c - p DESC", 4),
        ("c < p", "c - p", 4),
        ("p = 0 AND c <> 0", "abs(c) DESC", 6),
        ("p <> 0 AND c = 0", "abs(p) DESC", 6),
        ("c > 0", "c DESC", 6),
        ("p > 0", "p DESC", 6),
    ]
    lists = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {i} AS k, n.name, s.p, s.c FROM s LEFT JOIN customers n "
        f"ON n.id = s.customer_id WHERE {where} ORDER BY {order} LIMIT {limit}) AS l{i}"
        for i, (where, order, limit) in enumerate(ranked)
    )
    sums = (
        "SELECT 7, 'sums', sum(p), sum(c) FROM s UNION ALL "
        "SELECT 8, 'new/lost', sum(CASE WHEN p = 0 AND c <> 0 THEN c ELSE 0 END), "
        "sum(CASE WHEN p <> 0 AND c = 0 THEN p ELSE 0 END) FROM s"
    )
    return run(per + lists + " UNION ALL " + sums, [bounds[1], bounds[1], bounds[0], bounds[2]])


def mrr_movements(run: Run, first: dt.date, end: dt.date) -> list[Any]:
    """Each month's MRR movements over the window (new, reactivation, expansion, contraction,
    churn by customer against the month before) and the 12-month cohort NRR at each month: the
    recurring orders summed per month and customer, then paired month to month with a
    `GROUP BY` (a `FULL JOIN` of two unindexed selects is a nested loop in SQLite)."""
    lo, hi = _shift(first, -13).isoformat(), _month_end(end).isoformat()
    month = "substr(CAST(order_date AS VARCHAR), 1, 7)"
    return run(
        f"WITH mm AS MATERIALIZED (SELECT {month} AS m, customer_id AS id, sum(amount) AS a "
        f"FROM orders WHERE type IN {RECURRING} AND customer_id IS NOT NULL "
        "AND order_date >= ? AND order_date <= ? GROUP BY 1, 2), "
        "ms AS MATERIALIZED (SELECT m, row_number() OVER (ORDER BY m) AS i FROM "
        "(SELECT DISTINCT m FROM mm) AS d), "
        "x AS MATERIALIZED (SELECT mm.id, ms.i, mm.a FROM mm JOIN ms ON ms.m = mm.m), "
        f"f AS MATERIALIZED (SELECT customer_id AS id, min({month}) AS m FROM orders "
        f"WHERE type IN {RECURRING} AND customer_id IS NOT NULL GROUP BY customer_id), "
        "pairs AS MATERIALIZED (SELECT i, id, sum(now) AS now, sum(before) AS before FROM "
        "(SELECT i, id, a AS now, NULL AS before FROM x WHERE a > 0 UNION ALL "
        "SELECT i + 1, id, NULL, a FROM x WHERE a > 0) AS u GROUP BY i, id), "
        "cohort AS MATERIALIZED (SELECT i, sum(coalesce(later, 0)) / sum(base) AS nrr FROM "
        "(SELECT i, id, sum(later) AS later, sum(base) AS base FROM "
        "(SELECT i, id, a AS later, NULL AS base FROM x UNION ALL "
        "SELECT i + 12, id, NULL, a FROM x WHERE a > 0) AS v GROUP BY i, id) AS w "
        "WHERE base IS NOT NULL GROUP BY i) "
        "SELECT ms.m, sum(CASE WHEN before IS NULL AND f.m = ms.m THEN now ELSE 0 END), "
        "sum(CASE WHEN before IS NULL AND f.m < ms.m THEN now ELSE 0 END), "
        "sum(CASE WHEN now > before THEN now - before ELSE 0 END), "
        "sum(CASE WHEN now < before THEN now - before ELSE 0 END), "
        "sum(CASE WHEN now IS NULL THEN -before ELSE 0 END), "
        "count(CASE WHEN now IS NULL THEN 1 END), min(cohort.nrr) "
        "FROM pairs JOIN ms ON ms.i = pairs.i LEFT JOIN f ON f.id = pairs.id "
        "LEFT JOIN cohort ON cohort.i = ms.i "
        "WHERE ms.m >= ? GROUP BY ms.m, ms.i ORDER BY ms.m",
        [lo, hi, first.isoformat()[:7]],
    )


BREAKDOWNS: dict[str, Callable[[Run, dt.date, dt.date], list[Any]]] = {
    "gm_by_customer": gm_by_customer,
    "revenue_by_customer": revenue_by("c.name"),
    "revenue_by_industry": revenue_by("c.industry"),
    "revenue_by_source": revenue_by("c.source"),
    "book_to_bill_by_customer": book_to_bill_by_customer,
    "arr_by_industry": arr_by_industry,
    "revenue_by_product": revenue_by_product,
}
"""The breakdown of each drill-down alone (the large-table part; reported apart)."""
KPI_OF = {name: name.split("_by_")[0] for name in BREAKDOWNS}
"""The KPI each drill-down workload breaks down (its `TRENDS` key)."""

WORKLOADS: dict[str, Callable[[Run, dt.date, dt.date], list[Any]]] = {
    "executive": executive,
    "finance": finance,
    **{name: answer(b, TRENDS[KPI_OF[name]]) for name, b in BREAKDOWNS.items()},
    **{f"{name}.breakdown": b for name, b in BREAKDOWNS.items()},
    "products_page": answer(revenue_by_product, TRENDS["product_revenue"]),
    "marketing": marketing,
    "revenue_drivers_by_customer": revenue_drivers_by_customer,
    "mrr_movements": mrr_movements,
}
"""Each endpoint's numbers (`bench.uncached.ENDPOINTS`); `<name>.breakdown` is a drill-down's
breakdown alone, the stricter comparison, reported beside it."""
READS: dict[str, tuple[str, ...]] = {
    **{
        name: ("orders", "customers", "revenue_trend")
        for name, kpi in KPI_OF.items()
        if kpi in ("revenue", "book_to_bill")
    },
    "executive": ("revenue_trend", "orders", "expenses"),
    "finance": ("orders", "expenses"),
    "marketing": ("page_visits",),
    "revenue_by_product": ("top_products_daily", "revenue_trend"),
    "revenue_by_product.breakdown": ("top_products_daily",),
    "products_page": ("top_products_daily",),
}
"""Tables each workload reads (the others read orders and customers): DuckDB's load time."""


def _timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    """Median, min and max milliseconds of `repeat` runs (after one warm-up run), and the mean
    CPU milliseconds of this process per run (DuckDB's threads included)."""
    fn()
    times = []
    cpu = time.process_time()
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / repeat
    times.sort()
    return {"median": times[len(times) // 2], "min": times[0], "max": times[-1], "cpu": cpu_ms}


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


def measure(url: str, scratch: Path, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Milliseconds per workload (median, min, max of `repeat` runs) as plain SQL on the raw
    tables and in DuckDB (query only, and with the load of the tables it reads)."""
    raw = RawSql(url)
    first, end = window(raw.run)
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for table in TABLES:
        raw.export(table, scratch / f"{table}.csv")
    export_seconds = time.perf_counter() - started
    duck = duckdb.connect()
    loads: dict[str, float] = {}
    for table in TABLES:
        path = str(scratch / f"{table}.csv")
        started = time.perf_counter()
        duck.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto(?, header=true)", [path])
        loads[table] = (time.perf_counter() - started) * 1000

    def run_duck(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return duck.execute(sql, list(params)).fetchall()

    out: dict[str, dict[str, float]] = {
        "_setup": {
            "csv_export_seconds": export_seconds,
            "duckdb_load_seconds": sum(loads.values()) / 1000,
            **{f"duckdb_load_ms_{t}": ms for t, ms in loads.items()},
        }
    }
    for name, workload in WORKLOADS.items():
        plain = _timed(partial(workload, raw.run, first, end), repeat)
        duck_ms = _timed(partial(workload, run_duck, first, end), repeat)
        load_ms = sum(loads[t] for t in READS.get(name, ("orders", "customers")))
        out[name] = {
            "raw_sql_ms": plain["median"],
            "raw_sql_min_ms": plain["min"],
            "raw_sql_max_ms": plain["max"],
            "duckdb_ms": duck_ms["median"],
            "duckdb_min_ms": duck_ms["min"],
            "duckdb_max_ms": duck_ms["max"],
            "duckdb_load_ms": load_ms,
            "duckdb_with_load_ms": duck_ms["median"] + load_ms,
            "raw_sql_cpu_ms": plain["cpu"],
            "duckdb_cpu_ms": duck_ms["cpu"],
        }
    raw.close()
    duck.close()
    for table in TABLES:
        (scratch / f"{table}.csv").unlink(missing_ok=True)
    return out
