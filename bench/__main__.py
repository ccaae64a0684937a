"""`python -m bench [--orders N]`: build (once) the demo database, measure, print, write JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from bench import cpu, dataset, importspeed, load, postgres, reference, refresh, uncached, writes

RESULTS = Path(__file__).parent / "results.json"
# Cache hits: a few pages asked again and again, reported apart and never compared with DuckDB.
HIT_ENDPOINTS = (
    "/api/v1/dashboard",
    "/api/executive-dashboard",
    "/api/v1/finance",
    "/api/v1/marketing",
    "/api/v1/kpis/gm?by=customer",
)
CONNECTIONS = (1, 32)
console = Console(width=200)


DEFAULT_ORDERS = {"sqlite": 10_000_000, "postgresql": 1_000_000}


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--backend", choices=sorted(DEFAULT_ORDERS), default="sqlite")
    parser.add_argument(
        "--orders",
        type=int,
        default=int(os.environ["BENCH_ORDERS"]) if "BENCH_ORDERS" in os.environ else None,
        help="orders in the demo company (10,000,000 on SQLite, 1,000,000 on PostgreSQL)",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="time cap per load scenario")
    parser.add_argument("--samples", type=int, default=7, help="uncached samples per endpoint")
    parser.add_argument("--import-rounds", type=int, default=5, help="rounds of the import race")
    parser.add_argument("--requests", type=int, default=20_000, help="request cap per scenario")
    parser.add_argument("--output", type=Path, help="default bench/results[-postgresql].json")
    args = parser.parse_args()
    args.orders = args.orders or DEFAULT_ORDERS[args.backend]
    if args.output is None:
        suffix = "" if args.backend == "sqlite" else f"-{args.backend}"
        args.output = RESULTS.with_name(f"results{suffix}.json")
    return args


def _machine() -> dict[str, Any]:
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
    }


def _serve(url: str, args: argparse.Namespace, latest: dt.date) -> dict[str, Any]:
    """Uncached answers, cache hits, first answers after a change, reads during writes."""
    server = load.start(url, dataset.CACHE / f"server-{args.backend}-{args.orders}.log")
    out: dict[str, Any] = {}
    try:
        console.log("uncached answers (distinct keys)")
        out["uncached"] = uncached.measure(server, latest, samples=args.samples)
        console.log("cache hits")
        out["hits"] = {
            path: {
                str(n): load.measure(server, path, n, args.requests, args.seconds)
                for n in CONNECTIONS
            }
            for path in HIT_ENDPOINTS
        }
        # The first answers after a write, in a warm server: what a user sees after an import.
        refresh.bump_version(url)
        out["after_change_ms"] = {p: load.first_answer_ms(server, p) for p in HIT_ENDPOINTS}
        console.log("reads during events and an import")
        scratch = dataset.CACHE / f"writes-{args.backend}-{args.orders}"
        out["writes"] = writes.measure(server, url, scratch)
        out["server_peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    return out


def _workers(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Throughput of cache hits and of uncached answers with 1 and 2 worker processes."""
    out: dict[str, Any] = {}
    for n in (1, 2):
        server = load.start(url, dataset.CACHE / f"server-{n}.log", workers=n)
        try:
            hits = load.measure(server, "/api/v1/dashboard", 32, args.requests, args.seconds)
            out[str(n)] = {"hits_rps": hits["rps"], "hits_p99_ms": hits["p99_ms"]}
        finally:
            server.stop()
    out["ratio"] = out["2"]["hits_rps"] / out["1"]["hits_rps"]
    return out


def _spread(m: dict[str, float]) -> str:
    return f"{m['median_ms']:.1f} ({m['min_ms']:.1f}–{m['max_ms']:.1f})"


def _tables(results: dict[str, Any]) -> list[Table]:
    """The uncached table (with the references) and the cache-hit table, apart."""
    title = f"execdash on {results['backend']} at {results['orders']:,} orders"
    first = Table(title=f"{title}: uncached answers, ms median (min–max)")
    columns = (
        "endpoint",
        "execdash",
        "server CPU",
        "CPU in-process",
        "DB CPU",
        "raw SQL",
        "DuckDB",
        "DuckDB CPU",
        "+ load",
        "÷ DuckDB",
        "DuckDB breakdown",
        "÷ breakdown",
    )
    for column in columns:
        first.add_column(column, justify="left" if column == "endpoint" else "right")
    refs = results["references"]
    in_process = results.get("cpu", {})
    for path, m in results["http"]["uncached"].items():
        workload = uncached.ENDPOINTS[path]
        ref = refs.get(workload) if workload else None
        part = refs.get(f"{workload}.breakdown") if workload else None
        own = in_process.get(path)
        first.add_row(
            path,
            _spread(m),
            f"{m['server_cpu_ms']:.0f}",
            "—" if own is None else _spread(own["cpu"]),
            f"{own['database_cpu_ms']:.0f}" if own and "database_cpu_ms" in own else "—",
            "—" if ref is None else f"{ref['raw_sql_ms']:.1f}",
            "—" if ref is None else f"{ref['duckdb_ms']:.1f}",
            "—" if ref is None else f"{ref['duckdb_cpu_ms']:.0f}",
            "—" if ref is None else f"{ref['duckdb_with_load_ms']:.0f}",
            "—" if ref is None else f"{m['median_ms'] / ref['duckdb_ms']:.2f}",
            "—" if part is None else f"{part['duckdb_ms']:.1f}",
            "—" if part is None else f"{m['median_ms'] / part['duckdb_ms']:.2f}",
        )
    second = Table(title=f"{title}: cache hits (not compared with DuckDB)")
    for column in ("endpoint", "conns", "p50", "p95", "p99", "req/s", "req/CPU s", "changed ms"):
        second.add_column(column, justify="left" if column == "endpoint" else "right")
    for path, by_conn in results["http"]["hits"].items():
        for n, m in by_conn.items():
            second.add_row(
                path,
                n,
                f"{m['p50_ms']:.1f}",
                f"{m['p95_ms']:.1f}",
                f"{m['p99_ms']:.1f}",
                f"{m['rps']:.0f}",
                f"{m['rps_per_server_cpu']:.0f}",
                f"{results['http']['after_change_ms'][path]:.0f}" if n == "1" else "",
            )
    return [first, second]


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[tuple[str, dict[str, Any]]]:
    """The database under test (a fresh SQLite copy, or a new PostgreSQL database)."""
    if args.backend == "postgresql":
        with postgres.demo_database(args.orders) as (url, figures):
            yield url, {**figures, "cached": False}
        return
    data = dataset.ensure(args.orders)
    yield f"sqlite:///{dataset.working_copy(data)}", {**data.generation, "cached": data.cached}


def main() -> None:
    """Run every measurement once and report it."""
    args = _args()
    load_before = os.getloadavg()
    console.log(f"{args.backend}: {args.orders:,} orders (SQLite cache {dataset.CACHE})")
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": {**_machine(), "load_average_at_start": load_before},
        "backend": args.backend,
        "orders": args.orders,
    }

    def keep(key: str, value: Any) -> Any:
        """Record one stage's figures and write the file, so a failure later loses nothing."""
        results[key] = value
        args.output.write_text(json.dumps(results, indent=2))
        return value

    with _database(args) as (url, generation):
        keep("generation", generation)
        console.log("full rollup rebuild")
        rebuild = keep("rollup_rebuild", refresh.full_rebuild(url))
        console.log("200k-row import")
        with tempfile.TemporaryDirectory(dir=dataset.CACHE) as tmp:
            incremental = keep("incremental_import", refresh.incremental(url, Path(tmp)))
        raw = reference.RawSql(url)
        latest = reference.window(raw.run)[1]
        raw.close()
        console.log("HTTP")
        http = keep("http", _serve(url, args, latest))
        console.log("CPU per uncached answer, in-process")
        keep("cpu", cpu.measure(url, samples=args.samples))
        if args.backend == "postgresql":
            console.log("1 and 2 workers")
            keep("workers", _workers(url, args))
        console.log("plain SQL and DuckDB references")
        export = dataset.CACHE / f"export-{args.backend}-{args.orders}"  # one per concurrent run
        keep("references", reference.measure(url, export, repeat=args.samples))
        if args.backend == "sqlite":  # last: it appends rows to the database under test
            console.log("import against sqlite3 .import and executemany")
            path = Path(sa.make_url(url).database or "")
            keep(
                "import",
                importspeed.measure(path, dataset.CACHE / "import", rounds=args.import_rounds),
            )
    results["finished"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    args.output.write_text(json.dumps(results, indent=2))
    for table in _tables(results):
        console.print(table)
    g = results["generation"]
    console.print(
        f"generation {g['rows_per_s']:,.0f} rows/s ({g['order_rows_per_s']:,.0f} order rows/s"
        f"{', cached from an earlier run' if g['cached'] else ''}); "
        f"full rollup rebuild {rebuild['seconds']:.2f} s; "
        f"200k import {incremental['import_seconds']:.2f} s "
        f"({incremental['import_rows_per_s']:,.0f} rows/s), its rollup refresh "
        f"{incremental['appended_refresh_seconds']:.3f} s; "
        f"server peak RSS {http['server_peak_rss_mb']:.0f} MB"
    )
    w = http["writes"]
    console.print(
        f"reads during writes: read-only {w['read_only']['rps']['median']:,.0f} req/s "
        f"(p99 {w['read_only']['p99_ms']['median']:.1f} ms), with events at 20/s and an import "
        f"{w['mixed']['rps']['median']:,.0f} req/s (p99 {w['mixed']['p99_ms']['median']:.1f} ms)"
    )
    if "import" in results:
        i = results["import"]
        console.print(
            f"import {i['execdash']['rows_per_s']['median']:,.0f} rows/s = "
            f"{i['ratio_to_cli']['median']:.2f}× sqlite3 .import, "
            f"{i['ratio_to_executemany']['median']:.2f}× executemany; 1M-row import peak RSS "
            f"{i['import_1m']['peak_rss_mb']:.0f} MB; execdash --help "
            f"{i['cli_help_seconds']['median']:.2f} s"
        )
    if "workers" in results:
        ratio = results["workers"]["ratio"]
        console.print(f"2 workers ÷ 1 worker (cache hits at 32 connections): {ratio:.2f}")
    console.print(f"written {args.output}")


if __name__ == "__main__":
    main()
