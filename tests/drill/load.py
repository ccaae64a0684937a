"""The concurrency drill: readers, editors, anonymous events and a CLI import against one server.

`run` drives a running `execdash serve` on loopback for a bounded time:

- 8 readers, each on its own keep-alive connection, reading dashboard, KPI, list and domain
  answers with a short pause between requests;
- 4 signed-in editors (session cookie + CSRF token), each owning its own alerts and risks,
  acknowledging/reopening alerts and rewriting a risk's mitigation; the last answered write per
  row is what must be in the database afterwards;
- anonymous usage events at a fixed rate (default 20 per second);
- a health probe every 100 ms, from a process of its own (see `healthprobe.py`);
- after a quiet "before" window, `execdash import` of a large orders file in a subprocess.

It records every status and latency with its time, so the caller can compare read latency
before and during the import and check that nothing answered 5xx or dropped a connection.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

READS = (
    "/api/v1/dashboard",
    "/api/v1/kpis",
    "/api/v1/alerts",
    "/api/v1/risks",
    "/api/v1/finance",
    "/api/v1/sales",
    "/api/executive-dashboard",
    "/api/v1/customers?limit=20",
)
EVENT_TYPES = ("switch_range_or_granularity", "drilldown", "alert_click", "export_csv")
CLIENT_TIMEOUT = 60.0
READER_PAUSE = 0.25
"""Seconds a reader waits between answers (8 readers: about 30 reads/s in all)."""
KEEPALIVE_EXPIRY = 2.0
"""Below uvicorn's 5 s keep-alive, so the client never reuses a connection the server closes."""


@dataclass
class Sample:
    """One answered (or failed) request."""

    kind: str
    started: float
    seconds: float
    status: int  # 0: no HTTP answer (connection reset, timeout)
    error: str = ""
    path: str = ""


@dataclass
class DrillResult:
    """Everything the drill saw, with the import's window on the same clock."""

    samples: list[Sample] = field(default_factory=list)
    import_started: float = 0.0
    import_finished: float = 0.0
    import_returncode: int | None = None
    import_output: str = ""
    alerts_acknowledged: dict[int, str] = field(default_factory=dict)
    risks_acknowledged: dict[int, str] = field(default_factory=dict)
    events_acknowledged: int = 0
    writes_acknowledged: int = 0

    def statuses(self, kind: str | None = None) -> Counter[int]:
        """How many answers had each status (0 = no answer)."""
        return Counter(s.status for s in self.samples if kind is None or s.kind == kind)

    def failures(self) -> list[Sample]:
        """Answers that were 5xx or never came."""
        return [s for s in self.samples if s.status == 0 or s.status >= 500]

    def p99_ms(self, kind: str, start: float = 0.0, end: float = float("inf")) -> float:
        """The 99th percentile latency of `kind` requests started in [start, end), in ms."""
        values = [s.seconds for s in self.samples if s.kind == kind and start <= s.started < end]
        if len(values) < 2:
            return float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[98] * 1000

    def count(self, kind: str, start: float = 0.0, end: float = float("inf")) -> int:
        """How many `kind` requests started in [start, end)."""
        return sum(1 for s in self.samples if s.kind == kind and start <= s.started < end)


def write_orders_csv(path: Path, rows: int, customers: list[int], month: dt.date) -> None:
    """A CSV of `rows` new orders spread over `month`, for existing customers."""
    rng = random.Random(11)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["customer_id", "amount", "profit", "order_date", "type"])
        for _ in range(rows):
            amount = round(rng.uniform(100, 5000), 2)
            day = month + dt.timedelta(days=rng.randrange(28))
            kind = rng.choice(("booked", "recognized", "subscription", "recurring"))
            out.writerow([rng.choice(customers), amount, round(amount * 0.3, 2), day, kind])


class Drill:
    """One run of the drill against `base_url` (see the module docstring)."""

    def __init__(
        self,
        base_url: str,
        editors: list[tuple[str, str]],
        alert_ids: list[int],
        risk_ids: list[int],
        import_command: list[str],
        import_env: dict[str, str],
        seconds: float,
        events_per_second: float = 20.0,
        readers: int = 8,
    ) -> None:
        self.base_url = base_url
        self.editors = editors
        self.alert_ids = alert_ids
        self.risk_ids = risk_ids
        self.import_command = import_command
        self.import_env = import_env
        self.seconds = seconds
        self.events_per_second = events_per_second
        self.readers = readers
        self.result = DrillResult()
        self._t0 = 0.0
        self._stop = asyncio.Event()

    def _now(self) -> float:
        return time.monotonic() - self._t0

    async def _timed(
        self, client: httpx2.AsyncClient, kind: str, method: str, url: str, **kwargs: object
    ) -> httpx2.Response | None:
        started = self._now()
        began = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx2.HTTPError as exc:
            elapsed = time.perf_counter() - began
            self.result.samples.append(Sample(kind, started, elapsed, 0, repr(exc), url))
            return None
        elapsed = time.perf_counter() - began
        error = response.text[:300] if response.status_code >= 500 else ""
        self.result.samples.append(Sample(kind, started, elapsed, response.status_code, error, url))
        return response

    def _client(self) -> httpx2.AsyncClient:
        limits = httpx2.Limits(keepalive_expiry=KEEPALIVE_EXPIRY)
        return httpx2.AsyncClient(base_url=self.base_url, timeout=CLIENT_TIMEOUT, limits=limits)

    async def _reader(self, number: int) -> None:
        paths = itertools.cycle(READS[number % len(READS) :] + READS[: number % len(READS)])
        async with self._client() as client:
            while not self._stop.is_set():
                await self._timed(client, "read", "GET", next(paths))
                await asyncio.sleep(READER_PAUSE)

    async def _sign_in(self, client: httpx2.AsyncClient, number: int) -> dict[str, str]:
        """Log editor `number` in (before the load starts); return the CSRF header to send."""
        username, password = self.editors[number]
        login = await client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        login.raise_for_status()
        return {"X-CSRF-Token": login.json()["csrf_token"]}

    async def _editor(
        self, number: int, client: httpx2.AsyncClient, headers: dict[str, str]
    ) -> None:
        mine_alerts = [a for i, a in enumerate(self.alert_ids) if i % len(self.editors) == number]
        mine_risks = [r for i, r in enumerate(self.risk_ids) if i % len(self.editors) == number]
        try:
            for step in itertools.count():
                if self._stop.is_set():
                    return
                if step % 2 == 0 and mine_alerts:
                    alert = mine_alerts[(step // 2) % len(mine_alerts)]
                    action, state = ("acknowledge", "acknowledged")
                    if (step // 2 // len(mine_alerts)) % 2:
                        action, state = ("reopen", "open")
                    url = f"/api/v1/alerts/{alert}/{action}"
                    answer = await self._timed(client, "write", "POST", url, headers=headers)
                    if answer is not None and answer.status_code == 200:
                        self.result.alerts_acknowledged[alert] = state
                        self.result.writes_acknowledged += 1
                elif mine_risks:
                    risk = mine_risks[step % len(mine_risks)]
                    text = f"drill editor {number} step {step}"
                    answer = await self._timed(
                        client,
                        "write",
                        "PATCH",
                        f"/api/v1/risks/{risk}",
                        headers=headers,
                        json={"mitigation": text},
                    )
                    if answer is not None and answer.status_code == 200:
                        self.result.risks_acknowledged[risk] = text
                        self.result.writes_acknowledged += 1
                await asyncio.sleep(0.2)
        finally:
            await client.aclose()

    async def _one_event(self, client: httpx2.AsyncClient, number: int) -> None:
        body = {"event_type": EVENT_TYPES[number % len(EVENT_TYPES)], "meta": {"drill": number}}
        answer = await self._timed(client, "event", "POST", "/api/events", json=body)
        if answer is not None and answer.status_code == 200:
            self.result.events_acknowledged += 1

    async def _events(self) -> None:
        interval = 1.0 / self.events_per_second
        limits = httpx2.Limits(
            max_connections=64, max_keepalive_connections=64, keepalive_expiry=KEEPALIVE_EXPIRY
        )
        async with httpx2.AsyncClient(
            base_url=self.base_url, timeout=CLIENT_TIMEOUT, limits=limits
        ) as client:
            pending: set[asyncio.Task[None]] = set()
            for number in itertools.count():
                if self._stop.is_set():
                    break
                task = asyncio.create_task(self._one_event(client, number))
                pending.add(task)
                task.add_done_callback(pending.discard)
                await asyncio.sleep(max(0.0, (number + 1) * interval - self._now()))
            if pending:
                await asyncio.gather(*pending)

    async def _health(self) -> None:
        """Run `healthprobe.py` in its own process for the whole drill and collect its samples."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).with_name("healthprobe.py")),
            self.base_url,
            str(self.seconds),
            stdout=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL,
        )
        output, _ = await process.communicate()
        for started, seconds, status in json.loads(output):
            self.result.samples.append(Sample("health", started, seconds, status))

    async def _lag(self) -> None:
        """How late this client's own loop wakes up (its delays inflate every latency seen)."""
        while not self._stop.is_set():
            began = time.perf_counter()
            await asyncio.sleep(0.05)
            late = time.perf_counter() - began - 0.05
            self.result.samples.append(Sample("client-lag", self._now(), late, 200))

    async def _import(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self.result.import_started = self._now()
        process = await asyncio.create_subprocess_exec(
            *self.import_command,
            env={**os.environ, **self.import_env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            stdin=asyncio.subprocess.DEVNULL,
        )
        output, _ = await process.communicate()
        self.result.import_finished = self._now()
        self.result.import_returncode = process.returncode
        self.result.import_output = output.decode(errors="replace")[-3000:]

    async def run(self) -> DrillResult:
        """Drive the server for `seconds` (longer only while the import is still running)."""
        # People sign in one after another, not in the same instant: log in before the load.
        clients = [self._client() for _ in self.editors]
        headers = [await self._sign_in(client, i) for i, client in enumerate(clients)]
        self._t0 = time.monotonic()
        workers = [
            *(asyncio.create_task(self._reader(i)) for i in range(self.readers)),
            *(
                asyncio.create_task(self._editor(i, client, header))
                for i, (client, header) in enumerate(zip(clients, headers, strict=True))
            ),
            asyncio.create_task(self._events()),
            asyncio.create_task(self._health()),
            asyncio.create_task(self._lag()),
        ]
        importer = asyncio.create_task(self._import(self.seconds * 0.4))
        await asyncio.sleep(self.seconds)
        await asyncio.wait_for(importer, timeout=max(60.0, self.seconds * 2))
        self._stop.set()
        await asyncio.gather(*workers)
        return self.result
