"""CPU time per uncached answer, in-process: what an answer costs however busy the cores are.

`python -m bench.cpu --url sqlite:///path.db [--samples 7] [--only kpis]` builds the app in
this process and asks every endpoint of `bench.uncached` for `--samples` keys no request used
before (so the response cache never answers), calling the ASGI application directly as uvicorn
does (read layer, middleware, routing, SQL, JSON, gzip), with no HTTP client in the process: a
test client's own request building and response parsing cost about 1 ms per request, which is
the client's work, not the server's. Per endpoint it reports the median, min and max of the
process CPU time (`time.process_time`, every thread: the worker thread running the endpoint
included) and of the wall time of each answer. On a machine whose cores are shared with other
work, wall time mostly measures waiting; CPU time does not, which is why the targets are
judged on it. `bench.uncached` measures the same answers through a real HTTP server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import statistics
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI

from bench import postgres, reference, uncached
from execdash.api.app import create_app
from execdash.api.inner_get import get_scope
from execdash.config import Settings


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(values),
        "min_ms": min(values),
        "max_ms": max(values),
    }


def _postmaster(url: str) -> int | None:
    """The pid of the PostgreSQL server holding `url` when it runs on this machine, else None."""
    if not url.startswith("postgresql"):
        return None
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        data = conn.exec_driver_sql("SHOW data_directory").scalar_one()
    engine.dispose()
    try:
        return int((Path(data) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError):
        return None


def _tree_cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process and its children (the PostgreSQL backends), so far."""
    if pid is None:
        return 0.0
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def _get(app: FastAPI, url: str) -> tuple[int, bytes]:
    """GET `url` from the ASGI `app` as a server would call it; the status and the body."""
    path, _, query = url.partition("?")
    scope = get_scope(path, query, [(b"host", b"127.0.0.1"), (b"accept-encoding", b"gzip")])
    status, body = 0, bytearray()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


async def _measure(
    app: FastAPI, latest: dt.date, samples: int, only: str, postmaster: int | None
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    async with app.router.lifespan_context(app):
        await _get(app, "/api/v1/dashboard")  # connections opened, modules imported, caches warm
        for path in uncached.ENDPOINTS:
            if only not in path:
                continue
            cpu: list[float] = []
            wall: list[float] = []
            database = _tree_cpu_seconds(postmaster)
            for query in itertools.islice(uncached.keys(latest), samples):
                sep = "&" if "?" in path else "?"
                started, clock = time.process_time(), time.perf_counter()
                status, body = await _get(app, f"{path}{sep}{query}")
                cpu.append((time.process_time() - started) * 1000)
                wall.append((time.perf_counter() - clock) * 1000)
                if status != 200 or not body:
                    raise RuntimeError(f"{path}?{query}: {status}")
            database = _tree_cpu_seconds(postmaster) - database
            out[path] = {"cpu": _spread(cpu), "wall": _spread(wall), "samples": samples}
            if postmaster is not None:
                out[path]["database_cpu_ms"] = database * 1000 / samples
    return out


def measure(url: str, samples: int = 7, only: str = "") -> dict[str, dict[str, Any]]:
    """CPU and wall milliseconds per uncached answer of each endpoint (median, min, max); on a
    local PostgreSQL also its server's CPU per answer (mean: the kernel counts 10 ms ticks)."""
    raw = reference.RawSql(url)
    latest = reference.window(raw.run)[1]
    raw.close()
    app = create_app(Settings(database_url=url))
    return asyncio.run(_measure(app, latest, samples, only, _postmaster(url)))


def main() -> None:
    """Measure and print one line per endpoint; write JSON when asked."""
    parser = argparse.ArgumentParser(prog="python -m bench.cpu", description=__doc__)
    parser.add_argument("--url", help="database URL (a copy: the app migrates)")
    parser.add_argument(
        "--postgres-orders",
        type=int,
        help="instead of --url: the demo company with this many orders in a throwaway PostgreSQL",
    )
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--only", default="", help="only endpoints whose path contains this")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if args.postgres_orders:
        with postgres.demo_database(args.postgres_orders) as (url, _):
            found = measure(url, args.samples, args.only)
    elif args.url:
        found = measure(args.url, args.samples, args.only)
    else:
        parser.error("give --url or --postgres-orders")
    for path, m in found.items():
        c, w = m["cpu"], m["wall"]
        db = f"   database CPU {m['database_cpu_ms']:6.1f} ms" if "database_cpu_ms" in m else ""
        print(
            f"{path:48} CPU {c['median_ms']:7.1f} ({c['min_ms']:.1f}–{c['max_ms']:.1f}) ms   "
            f"wall {w['median_ms']:7.1f} ({w['min_ms']:.1f}–{w['max_ms']:.1f}) ms{db}"
        )
    if args.output:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        args.output.write_text(json.dumps({"date": stamp, "endpoints": found}, indent=2))


if __name__ == "__main__":
    main()
