"""Reads while data is written: read-only, then the same reads with events and one import.

Eight keep-alive connections read a mix of pages (dashboard, KPIs, finance, sales, marketing:
what an executive reopens, so mostly cache hits) for `seconds`; then again while one more
connection posts `POST /api/events` at 20 per second and `execdash import` appends 200,000
orders in a separate process (the import changes the orders, so answers that read them are
recomputed once after it commits). Reported per phase: requests/s, p50/p95/p99, errors, and
the events acknowledged; phases alternate `rounds` times (median and min/max).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa

from bench import load
from bench.importspeed import EXECDASH, write_orders
from execdash.db import schema as s
from execdash.db.engine import create_engine

READS = (
    "/api/v1/dashboard",
    "/api/v1/kpis",
    "/api/v1/finance",
    "/api/v1/sales",
    "/api/v1/marketing",
)
EVENT = (
    b"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b'Content-Length: 27\r\n\r\n{"event_type": "drilldown"}'
)
READERS = 8
EVENTS_PER_S = 20


async def _reader(port: int, offset: int, stop_at: float, latencies: list[float]) -> int:
    return await load.read_loop(
        port, [load._request(path, gzip=True) for path in READS], offset, stop_at, latencies
    )


async def _events(port: int, stop_at: float) -> tuple[int, int]:
    """Post events at EVENTS_PER_S until `stop_at`; return (acknowledged, other answers)."""
    reader, writer = await asyncio.open_connection(load.HOST, port)
    ok = other = 0
    clock = time.perf_counter
    next_at = clock()
    try:
        while clock() < stop_at:
            writer.write(EVENT)
            status = await load._read_response(reader)
            ok += status in (200, 201, 202, 204)
            other += status not in (200, 201, 202, 204)
            next_at += 1 / EVENTS_PER_S
            await asyncio.sleep(max(0.0, next_at - clock()))
    finally:
        writer.close()
    return ok, other


async def _phase(port: int, seconds: float, writes: bool) -> dict[str, float]:
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = started + seconds
    readers = [_reader(port, i, stop_at, latencies) for i in range(READERS)]
    events = [_events(port, stop_at)] if writes else []
    results = await asyncio.gather(*readers, *events)
    elapsed = time.perf_counter() - started
    latencies.sort()
    out = {
        "rps": len(latencies) / elapsed,
        "p50_ms": load._pct(latencies, 0.5),
        "p95_ms": load._pct(latencies, 0.95),
        "p99_ms": load._pct(latencies, 0.99),
        "errors": float(sum(int(e) for e in results[:READERS])),  # type: ignore[call-overload]
    }
    if writes:
        ok, other = results[-1]  # type: ignore[misc]
        out["events_ok"], out["events_other"] = float(ok), float(other)
    return out


def _start_import(url: str, scratch: Path) -> subprocess.Popen[bytes]:
    """`execdash import` of 200,000 new orders (ids above the largest) in its own process."""
    engine = create_engine(url)
    with engine.connect() as conn:
        top = int(conn.execute(sa.select(sa.func.max(s.orders.c.id))).scalar() or 0)
        customers = list(conn.execute(sa.select(s.customers.c.id).limit(5000)).scalars())
        last = conn.execute(sa.select(sa.func.max(s.orders.c.order_date))).scalar_one()
    engine.dispose()
    last = last if isinstance(last, dt.date) else dt.date.fromisoformat(str(last)[:10])
    path = scratch / "orders-during-reads.csv"
    write_orders(path, top + 1, 200_000, customers, last)
    env = {**os.environ, "EXECDASH_DATABASE_URL": url}
    return subprocess.Popen(
        [EXECDASH, "import", str(path), "--table", "orders"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(
    server: load.Server,
    url: str,
    scratch: Path,
    seconds: float = 6.0,
    rounds: int = 3,
) -> dict[str, object]:
    """Read-only and mixed phases, alternating `rounds` times; the import runs during the first
    mixed phase (and may outlast it: its duration is reported)."""
    phases: dict[str, list[dict[str, float]]] = {"read_only": [], "mixed": []}
    import_seconds = None
    with load._runner() as runner:
        runner.run(_phase(server.port, 1.0, False))  # warm the mix
        for round_ in range(rounds):
            phases["read_only"].append(runner.run(_phase(server.port, seconds, False)))
            process = None
            if round_ == 0:
                scratch.mkdir(parents=True, exist_ok=True)
                process = _start_import(url, scratch)
                started = time.perf_counter()
            phases["mixed"].append(runner.run(_phase(server.port, seconds, True)))
            if process is not None:
                process.wait()
                import_seconds = time.perf_counter() - started
    out: dict[str, object] = {"seconds_per_phase": seconds, "rounds": rounds}
    for name, runs in phases.items():
        out[name] = {k: _spread([r[k] for r in runs]) for k in runs[0]}
    out["import_seconds_during_reads"] = import_seconds
    read_rps = statistics.median(r["rps"] for r in phases["read_only"])
    out["mixed_over_read_only_rps"] = (
        statistics.median(r["rps"] for r in phases["mixed"]) / read_rps
    )
    return out
