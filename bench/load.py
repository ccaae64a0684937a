"""Latency and throughput of the running server: `execdash serve` on loopback, an asyncio client.

The client speaks minimal HTTP/1.1 over keep-alive connections (no extra package, little CPU),
each connection sending requests back to back; every loop is bounded in requests and seconds.
It shares the machine's cores with the server, so it is kept cheap: uvloop when importable, one
prebuilt request, and a response parser that only looks for the status and the body's length.
Requests say `Accept-Encoding: gzip` by default, as every browser does (pass `gzip=False` to
measure plain answers).
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
EXECDASH = str(Path(sys.executable).parent / "execdash")


@dataclass
class Server:
    """An `execdash serve` subprocess and its port."""

    process: subprocess.Popen[bytes]
    port: int

    def peak_rss_mb(self) -> float:
        """Peak resident memory (VmHWM) of the server process so far, in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def pids(self) -> list[int]:
        """The server process and its live children (the workers of `--workers N`)."""
        found = [self.process.pid]
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU time the server's processes have used so far."""
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:  # a child that just exited
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Terminate the server (by its own pid) and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start(url: str, log: Path, workers: int = 1) -> Server:
    """Start `execdash serve` for `url` (with `workers` processes) and wait until /api/health
    answers."""
    port = _free_port()
    env = {**os.environ, "EXECDASH_DATABASE_URL": url}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [EXECDASH, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early, see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/health", timeout=2):
                return Server(process, port)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start within 120 s")


def _runner() -> asyncio.Runner:
    """An event-loop runner, on uvloop when it is installed (less client CPU per request)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is pinned for non-Windows platforms
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response; return its status (body read by Content-Length or chunks)."""
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    status = int(head[9:12])
    at = head.find(b"\r\ncontent-length:")
    if at >= 0:
        end = head.index(b"\r\n", at + 17)
        await reader.readexactly(int(head[at + 17 : end]))
    elif b"\r\ntransfer-encoding: chunked" in head:
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def read_loop(
    port: int, requests: list[bytes], offset: int, stop_at: float, latencies: list[float]
) -> int:
    """One kept-alive reader cycling through `requests` until `stop_at`; returns its non-200s."""
    reader, writer = await asyncio.open_connection(HOST, port)
    errors, i, clock = 0, offset, time.perf_counter
    try:
        while clock() < stop_at:
            started = clock()
            writer.write(requests[i % len(requests)])
            status = await _read_response(reader)
            latencies.append(clock() - started)
            errors += status != 200
            i += 1
    finally:
        writer.close()
    return errors


def _request(path: str, gzip: bool) -> bytes:
    encoding = "Accept-Encoding: gzip\r\n" if gzip else ""
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/json\r\n"
    return f"{head}{encoding}\r\n".encode()


async def _connection(
    port: int, request: bytes, stop_at: float, budget: list[int], latencies: list[float]
) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    errors = 0
    clock = time.perf_counter
    try:
        while budget[0] > 0 and clock() < stop_at:
            budget[0] -= 1
            started = clock()
            writer.write(request)
            status = await _read_response(reader)
            latencies.append(clock() - started)
            errors += status != 200
    finally:
        writer.close()
    return errors


def _pct(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index] * 1000


async def _run(
    port: int, request: bytes, connections: int, requests: int, seconds: float
) -> dict[str, float]:
    budget = [requests]
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = started + seconds
    errors = await asyncio.gather(
        *(_connection(port, request, stop_at, budget, latencies) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "connections": float(connections),
        "requests": float(len(latencies)),
        "errors": float(sum(errors)),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": _pct(latencies, 0.50),
        "p95_ms": _pct(latencies, 0.95),
        "p99_ms": _pct(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies) * 1000,
    }


def measure(
    server: Server,
    path: str,
    connections: int,
    requests: int,
    seconds: float,
    *,
    gzip: bool = True,
) -> dict[str, float]:
    """Send up to `requests` GETs of `path` over `connections` connections for ≤ `seconds`."""
    request = _request(path, gzip)
    with _runner() as runner:
        first = runner.run(_run(server.port, request, 1, 1, 60))  # cold: the first answer
        cpu = server.cpu_seconds()
        result = runner.run(_run(server.port, request, connections, requests, seconds))
        cpu = server.cpu_seconds() - cpu
    result["cold_ms"] = first["p50_ms"]
    result["server_cpu_seconds"] = cpu
    # Requests per CPU second of the server: what one worker reaches with a core to itself.
    result["rps_per_server_cpu"] = result["requests"] / cpu if cpu > 0 else float("nan")
    return result


def first_answer_ms(server: Server, path: str, *, gzip: bool = True) -> float:
    """Milliseconds of one request of `path`: after a data change, an uncached answer."""
    with _runner() as runner:
        return float(runner.run(_run(server.port, _request(path, gzip), 1, 1, 60))["p50_ms"])
