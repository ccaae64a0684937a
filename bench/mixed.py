"""Reads while usage events are written: throughput and p99 with 8 readers, read-only vs mixed.

`python -m bench.mixed [--orders N] [--rounds R]` starts `execdash serve` on loopback over the
demo company, warms the read mix (overview, KPIs, finance, sales, marketing: cache hits, as an
executive's repeated views are), then alternates R read-only and R mixed phases: 8 keep-alive
connections reading the mix back to back, and in the mixed phases one more connection posting
`POST /api/events` at 20 per second. Events write `user_events`, which no answer in the mix
reads, so no cached answer may be invalidated by them (issue 14: throughput ≥ 80% of read-only,
p99 ≤ 20 ms). Reported: median and min/max over the rounds, and the events acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench import dataset, load

READS = (
    "/api/v1/dashboard?range=12m&granularity=month",
    "/api/v1/kpis?range=12m&granularity=month",
    "/api/v1/finance?range=12m&granularity=month",
    "/api/v1/sales?range=12m&granularity=month",
    "/api/v1/marketing?range=12m&granularity=month",
)
EVENT = (
    b"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b'Content-Length: 27\r\n\r\n{"event_type": "drilldown"}'
)
RESULTS = Path(__file__).with_name("results-mixed.json")


def _get(path: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        "Accept-Encoding: gzip\r\n\r\n"
    ).encode()


async def _reader(port: int, offset: int, stop_at: float, latencies: list[float]) -> int:
    return await load.read_loop(port, [_get(path) for path in READS], offset, stop_at, latencies)


async def _events(port: int, rate: float, stop_at: float) -> dict[int, int]:
    """Post one event every 1/rate s; count the answers by status."""
    reader, writer = await asyncio.open_connection(load.HOST, port)
    statuses: dict[int, int] = {}
    next_at = time.perf_counter()
    try:
        while next_at < stop_at:
            writer.write(EVENT)
            status = await load._read_response(reader)
            statuses[status] = statuses.get(status, 0) + 1
            next_at += 1 / rate
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    finally:
        writer.close()
    return statuses


async def _phase(server: load.Server, readers: int, seconds: float, rate: float) -> dict[str, Any]:
    port = server.port
    latencies: list[float] = []
    cpu = server.cpu_seconds()
    started = time.perf_counter()
    stop_at = started + seconds
    tasks = [_reader(port, n, stop_at, latencies) for n in range(readers)]
    events = _events(port, rate, stop_at) if rate > 0 else asyncio.sleep(0, result={})
    *errors, statuses = await asyncio.gather(*tasks, events)
    elapsed = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "reads": len(latencies),
        "server_cpu_s": cpu,
        "p50_ms": load._pct(latencies, 0.50),
        "p99_ms": load._pct(latencies, 0.99),
        "errors": sum(errors),
        "events": statuses,
    }


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run(url: str, rounds: int, seconds: float, readers: int, rate: float) -> dict[str, Any]:
    """Alternate read-only and mixed phases against a server on `url`; their figures."""
    server = load.start(url, dataset.CACHE / "server-mixed.log")
    try:
        with load._runner() as runner:
            runner.run(_phase(server, readers, 2.0, 0))  # warm: every answer cached
            phases: dict[str, list[dict[str, Any]]] = {"read_only": [], "mixed": []}
            for _ in range(rounds):
                phases["read_only"].append(runner.run(_phase(server, readers, seconds, 0)))
                phases["mixed"].append(runner.run(_phase(server, readers, seconds, rate)))
    finally:
        server.stop()
    out: dict[str, Any] = {"readers": readers, "events_per_s": rate, "rounds": rounds}
    for name, runs in phases.items():
        out[name] = {
            "rps": _spread([r["rps"] for r in runs]),
            "p50_ms": _spread([r["p50_ms"] for r in runs]),
            "p99_ms": _spread([r["p99_ms"] for r in runs]),
            "errors": sum(r["errors"] for r in runs),
        }
    ratios = [
        m["rps"] / r["rps"] for r, m in zip(phases["read_only"], phases["mixed"], strict=True)
    ]
    out["mixed_to_read_only"] = _spread(ratios)
    # What the machine cannot blur: server CPU per read, and per event once the reads' share
    # of a mixed phase is taken out; then the throughput a dedicated core would keep.
    per_read = [r["server_cpu_s"] / max(r["reads"], 1) for r in phases["read_only"]]
    per_event = []
    for r, m in zip(phases["read_only"], phases["mixed"], strict=True):
        events_ = sum(m["events"].values())
        reads_cpu = m["reads"] * r["server_cpu_s"] / max(r["reads"], 1)
        per_event.append(max(m["server_cpu_s"] - reads_cpu, 0.0) / max(events_, 1))
    out["server_cpu_ms_per_read"] = _spread([x * 1000 for x in per_read])
    out["server_cpu_ms_per_event"] = _spread([x * 1000 for x in per_event])
    out["core_share_of_events"] = statistics.median(per_event) * rate
    events: dict[str, int] = {}
    for run_ in phases["mixed"]:
        for status, count in run_["events"].items():
            events[str(status)] = events.get(str(status), 0) + count
    out["mixed"]["events"] = events
    return out


def main() -> None:
    """Measure and print (and save) the read-only and mixed figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.mixed", description=__doc__)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--rate", type=float, default=20.0, help="events per second")
    parser.add_argument("--url", help="an existing database instead of the demo company")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    # The events stand for many users' clicks: lift the per-client limit for the one poster.
    os.environ.setdefault("EXECDASH_EVENTS_RATE_PER_CLIENT", "1000/second")
    url = args.url or f"sqlite:///{dataset.working_copy(dataset.ensure(args.orders))}"
    figures = run(url, args.rounds, args.seconds, args.readers, args.rate)
    figures["orders"] = args.orders if args.url is None else None
    args.output.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
