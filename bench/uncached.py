"""Uncached answers: every request a key the server has not answered before, so it is computed.

Each sample asks one endpoint for a 12-month window at a granularity and an as-of month no
earlier request used (as-of months before the latest, which a background recompute of the
likely-next answers would warm), over one keep-alive connection. Reported per endpoint: the
median, min and max of the samples, how many there were, and the server's CPU time per
answer (what the answer costs, however busy the machine's cores are). A `304` or any status
but `200` counts as an error, never as a fast answer.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import statistics
import time
from collections.abc import Iterator

from bench.load import HOST, Server

# Endpoint → the reference workload (bench/reference.py) computing the same large-table numbers.
ENDPOINTS: dict[str, str | None] = {
    "/api/v1/dashboard": "executive",
    "/api/executive-dashboard": "executive",
    "/api/v1/finance": "finance",
    "/api/v1/sales": None,
    "/api/v1/retention": None,
    "/api/v1/operations": None,
    "/api/v1/supply": None,
    "/api/v1/telemetry": None,
    "/api/v1/products": "products_page",
    "/api/v1/marketing": "marketing",
    "/api/v1/kpis/gm?by=customer": "gm_by_customer",
    "/api/v1/kpis/revenue?by=customer": "revenue_by_customer",
    "/api/v1/kpis/revenue?by=industry": "revenue_by_industry",
    "/api/v1/kpis/revenue?by=source": "revenue_by_source",
    "/api/v1/kpis/revenue?by=product": "revenue_by_product",
    "/api/v1/kpis/book_to_bill?by=customer": "book_to_bill_by_customer",
    "/api/v1/kpis/arr?by=industry": "arr_by_industry",
    "/api/v1/kpis/revenue/drivers?by=customer": "revenue_drivers_by_customer",
    "/api/v1/retention/mrr-movements": "mrr_movements",
    "/api/v1/summary": None,
}


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def keys(latest: dt.date) -> Iterator[str]:
    """Distinct query strings: 12-month windows ending 1–24 months before `latest`, by month
    and by quarter, in an order that changes both at every step."""
    for back, granularity in itertools.product(range(1, 25), ("month", "quarter")):
        as_of = _shift(latest, -back)
        yield f"range=12m&granularity={granularity}&as_of={as_of:%Y-%m}"


def _get(conn: http.client.HTTPConnection, url: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn.request("GET", url, headers={"Accept": "application/json", "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def measure(server: Server, latest: dt.date, samples: int = 7) -> dict[str, dict[str, float]]:
    """Median/min/max milliseconds of `samples` uncached answers per endpoint."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=120)
    out: dict[str, dict[str, float]] = {}
    try:
        for path in ENDPOINTS:
            times: list[float] = []
            errors = 0
            cpu = server.cpu_seconds()
            for query in itertools.islice(keys(latest), samples):
                sep = "&" if "?" in path else "?"
                status, ms = _get(conn, f"{path}{sep}{query}")
                if status == 200:
                    times.append(ms)
                else:
                    errors += 1
            cpu = server.cpu_seconds() - cpu
            out[path] = {
                # Server CPU per answer (mean; /proc counts in 10 ms ticks): the work itself,
                # which waiting for a core on a busy machine does not inflate.
                "server_cpu_ms": cpu * 1000 / samples,
                "median_ms": statistics.median(times) if times else float("nan"),
                "min_ms": min(times, default=float("nan")),
                "max_ms": max(times, default=float("nan")),
                "samples": float(len(times)),
                "errors": float(errors),
            }
    finally:
        conn.close()
    return out
