"""Group commit for usage events: the events that arrive while one batch is written share the
next write transaction.

Each `POST /api/events` is checked on the loop (rate limit, body cap, fields), then queued
here and answered when the transaction holding it has committed, so an acknowledged event is
never lost. One batch is written at a time, through the same FIFO gate as every other server
write: at low load a batch holds one event and costs what it did before; under a flood, 50
queued events cost one transaction, one rollup refresh per day they fall on, and one version
bump, instead of 50 of each. Editors' writes keep their turn at the gate between batches.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.api import event_meta
from execdash.api.writes import WriteGate
from execdash.db.changes import record_data_change
from execdash.db.schema import user_events

MAX_BATCH = 500
"""The most events one transaction writes (a longer queue is written in several)."""
SPAN_GAP_DAYS = 7
"""Event days closer than this are refreshed as one span of the daily rollup."""


@dataclass(frozen=True, slots=True)
class Event:
    """One checked usage event: its type, its naive UTC time and the request body (for meta)."""

    event_type: str
    when: dt.datetime
    body: bytes


def day_spans(days: list[dt.date], gap: int = SPAN_GAP_DAYS) -> list[tuple[dt.date, dt.date]]:
    """The days of a batch as few (first, last) spans: days under `gap` apart share one, so an
    event dated years ago never makes the refresh cover every day in between."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if spans and (day - spans[-1][1]).days < gap:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def store_events(conn: sa.Connection, events: list[Event]) -> list[int]:
    """Insert `events` with their meta rows and refresh the rollups of their days, in the
    caller's transaction (a worker thread); return the new ids in the order given."""
    rows = [{"event_type": e.event_type, "event_time": e.when} for e in events]
    inserted = conn.execute(
        user_events.insert().returning(user_events.c.id, sort_by_parameter_order=True), rows
    )
    ids = [int(row[0]) for row in inserted]
    for event_id, event in zip(ids, events, strict=True):
        event_meta.store(conn, event_id, event.body)
    for span in day_spans([e.when.date() for e in events]):
        record_data_change(conn, ["user_events"], {"user_events": span}, wait=False)
    return ids


class EventBatcher:
    """Queues checked events and writes them in batches, one transaction at a time."""

    def __init__(self, gate: WriteGate, max_batch: int = MAX_BATCH) -> None:
        self._gate = gate
        self._max_batch = max_batch
        self._queue: list[tuple[Event, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0
        """Transactions written so far (tests and the drill's report)."""
        self.written = 0
        """Events committed so far."""

    async def log(self, event: Event) -> None:
        """Queue `event` and return once it is committed; raise what its batch raised (such as
        `WriteBusy`, answered 503 with nothing stored)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # A client that leaves does not cancel its event; its outcome is then read by no one.
        done.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._queue.append((event, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await asyncio.shield(done)

    async def _write_all(self) -> None:
        """Write the queue batch by batch until it is empty."""
        batch: list[tuple[Event, asyncio.Future[None]]] = []
        try:
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                try:
                    events = [e for e, _ in batch]
                    await self._gate.run(functools.partial(store_events, events=events))
                except Exception as exc:
                    _settle(batch, exc)
                    continue
                self.batches += 1
                self.written += len(batch)
                _settle(batch, None)
        except asyncio.CancelledError:  # the server stops: no request may wait for ever
            stopped = RuntimeError("the server stopped before the event was stored")
            _settle(batch + self._queue, stopped)
            self._queue.clear()
            raise


def _settle(batch: list[tuple[Event, asyncio.Future[None]]], error: BaseException | None) -> None:
    """Answer every request of `batch` that is still waiting: stored, or `error`."""
    for _, done in batch:
        if done.done():
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)
