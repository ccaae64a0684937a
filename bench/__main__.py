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

from rich.console import Console
from rich.table import Table

from bench import dataset, load, postgres, reference, refresh

RESULTS = Path(__file__).parent / "results.json"
# Endpoint → the reference workload that computes the same large-table numbers from raw rows.
ENDPOINTS: dict[str, str | None] = {
    "/api/v1/dashboard": "executive",
    "/api/executive-dashboard": "executive",
    "/api/v1/finance": "finance",
    "/api/v1/sales": None,
    "/api/v1/retention": None,
    "/api/v1/operations": None,
    "/api/v1/supply": None,
    "/api/v1/telemetry": None,
    "/api/v1/products": None,
    "/api/v1/marketing": "marketing",
    "/api/v1/kpis/gm?by=customer": "gm_by_customer",
    "/api/v1/kpis/revenue/drivers?by=customer": None,
    "/api/v1/retention/mrr-movements": None,
    "/api/v1/summary": None,
}
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
    parser.add_argument("--seconds", type=float, default=8.0, help="time cap per load scenario")
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


def _serve(url: str, args: argparse.Namespace) -> tuple[dict[str, dict[str, Any]], float]:
    server = load.start(url, dataset.CACHE / "server.log")
    results: dict[str, dict[str, Any]] = {}
    try:
        for path in ENDPOINTS:
            results[path] = {
                str(n): load.measure(server, path, n, args.requests, args.seconds)
                for n in CONNECTIONS
            }
            console.log(f"{path}: {results[path]['32']['rps']:.0f} req/s at 32 connections")
        # The first answers after a write, in a warm server: what a user sees after an import.
        refresh.bump_version(url)
        for path in ENDPOINTS:
            results[path]["1"]["after_change_ms"] = load.first_answer_ms(server, path)
        rss = server.peak_rss_mb()
    finally:
        server.stop()
    return results, rss


def _table(results: dict[str, Any]) -> Table:
    table = Table(title=f"execdash on {results['backend']} at {results['orders']:,} orders")
    for column in (
        "endpoint",
        "conns",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "req/s",
        "req/CPU s",
        "errors",
        "cold ms",
        "changed ms",
        "raw SQL ms",
        "DuckDB ms",
        "p50/DuckDB",
        "cold/DuckDB",
        "changed/DuckDB",
    ):
        table.add_column(column, justify="left" if column == "endpoint" else "right", no_wrap=True)
    for path, by_conn in results["endpoints"].items():
        ref = results["ratios"].get(path)
        for n, m in by_conn.items():
            table.add_row(
                path,
                n,
                f"{m['p50_ms']:.1f}",
                f"{m['p95_ms']:.1f}",
                f"{m['p99_ms']:.1f}",
                f"{m['rps']:.0f}",
                f"{m['rps_per_server_cpu']:.0f}",
                f"{m['errors']:.0f}",
                f"{m['cold_ms']:.0f}" if n == "1" else "",
                f"{m['after_change_ms']:.0f}" if n == "1" else "",
                "—" if ref is None else f"{ref['raw_sql_ms']:.1f}",
                "—" if ref is None else f"{ref['duckdb_ms']:.1f}",
                "—" if ref is None else f"{m['p50_ms'] / ref['duckdb_ms']:.3f}",
                "—" if ref is None or n != "1" else f"{ref['ratio_cold']:.2f}",
                "—" if ref is None or n != "1" else f"{ref['ratio_after_change']:.2f}",
            )
    return table


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
    with _database(args) as (url, generation):
        console.log("full rollup rebuild")
        rebuild = refresh.full_rebuild(url)
        console.log("200k-row import")
        with tempfile.TemporaryDirectory(dir=dataset.CACHE) as tmp:
            incremental = refresh.incremental(url, Path(tmp))
        console.log("HTTP load")
        endpoints, rss = _serve(url, args)
        console.log("plain SQL and DuckDB references")
        repeat = 3 if args.orders <= 1_000_000 else 1
        refs = reference.measure(url, dataset.CACHE / "export", repeat=repeat)
    ratios: dict[str, dict[str, float]] = {}
    for path, workload in ENDPOINTS.items():
        if workload is None:
            continue
        duck = refs[workload]["duckdb_ms"]
        ratios[path] = {
            "workload": workload,  # type: ignore[dict-item]
            "duckdb_ms": duck,
            "raw_sql_ms": refs[workload]["raw_sql_ms"],
            "ratio_p50_1conn": endpoints[path]["1"]["p50_ms"] / duck,
            "ratio_p50_32conn": endpoints[path]["32"]["p50_ms"] / duck,
            "ratio_cold": endpoints[path]["1"]["cold_ms"] / duck,
            "ratio_after_change": endpoints[path]["1"]["after_change_ms"] / duck,
        }
    results = {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": {**_machine(), "load_average_at_start": load_before},
        "backend": args.backend,
        "orders": args.orders,
        "generation": generation,
        "rollup_rebuild": rebuild,
        "incremental_import": incremental,
        "endpoints": endpoints,
        "server_peak_rss_mb": rss,
        "references": refs,
        "ratios": ratios,
    }
    args.output.write_text(json.dumps(results, indent=2))
    console.print(_table(results))
    g = results["generation"]
    console.print(
        f"generation {g['rows_per_s']:,.0f} rows/s ({g['order_rows_per_s']:,.0f} order rows/s"
        f"{', cached from an earlier run' if g['cached'] else ''}); "
        f"full rollup rebuild {rebuild['seconds']:.2f} s; "
        f"200k import {incremental['import_seconds']:.2f} s "
        f"({incremental['import_rows_per_s']:,.0f} rows/s), its rollup refresh "
        f"{incremental['appended_refresh_seconds']:.3f} s; server peak RSS {rss:.0f} MB"
    )
    console.print(f"written {args.output}")


if __name__ == "__main__":
    main()
