"""Probe `GET /api/health` every 100 ms from a process of its own; print the answers as JSON.

Run by the drill as `python healthprobe.py BASE_URL SECONDS`. A separate, mostly idle process
measures the server rather than the load generator's own busy event loop. Each line of the
output is `[start offset s, latency s, status]` (status 0: no answer).
"""

from __future__ import annotations

import http.client
import json
import sys
import time
from urllib.parse import urlsplit


def probe(base_url: str, seconds: float, period: float = 0.1) -> list[tuple[float, float, int]]:
    """Send one health request per `period` for `seconds`; return what happened."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    samples: list[tuple[float, float, int]] = []
    t0 = time.monotonic()
    while (now := time.monotonic() - t0) < seconds:
        began = time.perf_counter()
        try:
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            conn.close()
            status = 0
        samples.append((now, time.perf_counter() - began, status))
        time.sleep(max(0.0, period - (time.perf_counter() - began)))
    conn.close()
    return samples


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1], float(sys.argv[2]))))
