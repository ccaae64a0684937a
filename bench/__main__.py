"""`python -m bench [--orders N]`: build (once) the demo database, measure, print, write JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import dataset, load, reference, refresh

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
    "/api/v1/marketing": None,
    "/api/v1/kpis/gm?by=customer": "gm_by_customer",
}
CONNECTIONS = (1, 32)
console = Console(width=150)


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--orders", type=int, default=int(os.environ.get("BENCH_ORDERS", "10000000"))
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="time cap per load scenario")
    parser.add_argument("--requests", type=int, default=20_000, help="request cap per scenario")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


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
        rss = server.peak_rss_mb()
    finally:
        server.stop()
    return results, rss


def _table(results: dict[str, Any]) -> Table:
    table = Table(title=f"execdash at {results['orders']:,} orders")
    for column in (
        "endpoint",
        "conns",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "req/s",
        "req/CPU s",
        "errors",
        "DuckDB ms",
        "execdash/DuckDB",
        "cold ms",
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
                "—" if ref is None else f"{ref['duckdb_ms']:.1f}",
                "—" if ref is None else f"{ref['ratio_p50_1conn']:.3f}",
                f"{m['cold_ms']:.0f}",
            )
    return table


def main() -> None:
    """Run every measurement once and report it."""
    args = _args()
    load_before = os.getloadavg()
    console.log(f"dataset: {args.orders:,} orders (cache {dataset.CACHE})")
    data = dataset.ensure(args.orders)
    work = dataset.working_copy(data)
    url = f"sqlite:///{work}"
    console.log("full rollup rebuild")
    rebuild = refresh.full_rebuild(url)
    console.log("200k-row import")
    with tempfile.TemporaryDirectory(dir=dataset.CACHE) as tmp:
        incremental = refresh.incremental(url, Path(tmp))
    console.log("HTTP load")
    endpoints, rss = _serve(url, args)
    console.log("plain SQL and DuckDB references")
    repeat = 3 if args.orders <= 1_000_000 else 1
    refs = reference.measure(work, dataset.CACHE / "export", repeat=repeat)
    ratios: dict[str, dict[str, float]] = {}
    for path, workload in ENDPOINTS.items():
        if workload is None:
            continue
        duck = refs[workload]["duckdb_ms"]
        ratios[path] = {
            "workload": workload,  # type: ignore[dict-item]
            "duckdb_ms": duck,
            "sqlite_raw_ms": refs[workload]["sqlite_raw_ms"],
            "ratio_p50_1conn": endpoints[path]["1"]["p50_ms"] / duck,
            "ratio_p50_32conn": endpoints[path]["32"]["p50_ms"] / duck,
            "ratio_cold": endpoints[path]["1"]["cold_ms"] / duck,
        }
    results = {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": {**_machine(), "load_average_at_start": load_before},
        "orders": args.orders,
        "generation": {**data.generation, "cached": data.cached},
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
        f"{', cached from an earlier run' if data.cached else ''}); "
        f"full rollup rebuild {rebuild['seconds']:.2f} s; "
        f"200k import {incremental['import_seconds']:.2f} s "
        f"({incremental['import_rows_per_s']:,.0f} rows/s), its rollup refresh "
        f"{incremental['appended_refresh_seconds']:.3f} s; server peak RSS {rss:.0f} MB"
    )
    console.print(f"written {args.output}")


if __name__ == "__main__":
    main()
