"""Usage events arriving together share one write transaction; each is answered once committed."""

from __future__ import annotations

import asyncio
import datetime as dt

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.api.eventbatch import Event, EventBatcher, day_spans
from execdash.api.writes import WriteBusy, WriteGate
from execdash.db import tables as t
from execdash.db.compat_tables import user_event_meta
from execdash.db.engine import is_contention
from execdash.db.schema import user_events
from tests.api.test_writes import another_process_writing

D = dt.date


def test_close_days_share_a_span_and_far_days_get_their_own() -> None:
    days = [D(2026, 11, 3), D(2026, 11, 1), D(2026, 11, 3), D(2001, 1, 5), D(2026, 11, 12)]
    assert day_spans(days) == [
        (D(2001, 1, 5), D(2001, 1, 5)),
        (D(2026, 11, 1), D(2026, 11, 3)),
        (D(2026, 11, 12), D(2026, 11, 12)),
    ]
    assert day_spans([D(2026, 11, 1), D(2026, 11, 7)]) == [(D(2026, 11, 1), D(2026, 11, 7))]
    assert day_spans([]) == []


def _event(day: int, meta: dict[str, object] | None = None) -> Event:
    body = orjson.dumps({"event_type": "drilldown", "meta": meta})
    return Event("drilldown", dt.datetime(2026, 11, day, 9, 30), body)


async def _log_all(batcher: EventBatcher, events: list[Event]) -> list[BaseException | None]:
    results = await asyncio.gather(*(batcher.log(e) for e in events), return_exceptions=True)
    return [r if isinstance(r, BaseException) else None for r in results]


def test_events_queued_behind_a_write_are_committed_in_one_transaction(engine: Engine) -> None:
    batcher = EventBatcher(WriteGate(engine, wait_seconds=10))
    events = [_event(1 + i % 3, {"n": i}) for i in range(40)]
    with another_process_writing(engine, 0.5):
        outcomes = asyncio.run(_log_all(batcher, events))
    assert outcomes == [None] * 40
    assert batcher.written == 40
    assert batcher.batches == 1  # all 40 queued while the other process held the database
    with engine.connect() as conn:
        stored = conn.execute(
            sa.select(user_events.c.id, user_event_meta.c.v)
            .join(user_event_meta, user_event_meta.c.event_id == user_events.c.id)
            .where(user_events.c.event_type == "drilldown")
            .order_by(user_events.c.id)
        ).all()
        rollup = dict(
            conn.execute(
                sa.select(t.rollup_user_events_day.c.day, t.rollup_user_events_day.c.events).where(
                    t.rollup_user_events_day.c.event_type == "drilldown"
                )
            ).all()
        )
    # Each event's meta row points at that event: ids follow the order the events came in.
    assert [v for _, v in stored] == [float(i) for i in range(40)]
    assert rollup == {"2026-11-01": 14, "2026-11-02": 13, "2026-11-03": 13}


def test_a_lone_event_is_written_at_once(engine: Engine) -> None:
    batcher = EventBatcher(WriteGate(engine, wait_seconds=10))

    async def one_then_another() -> None:
        await batcher.log(_event(5))
        await batcher.log(_event(6))

    asyncio.run(one_then_another())
    assert (batcher.batches, batcher.written) == (2, 2)


def test_a_batch_that_cannot_start_fails_every_event_in_it_and_stores_none(engine: Engine) -> None:
    batcher = EventBatcher(WriteGate(engine, wait_seconds=0.3))
    with another_process_writing(engine):
        outcomes = asyncio.run(_log_all(batcher, [_event(2) for _ in range(5)]))
    # The API answers either with 503 and Retry-After (api.errors).
    assert all(isinstance(o, WriteBusy) or is_contention(o) for o in outcomes), outcomes
    assert batcher.written == 0
    with engine.connect() as conn:
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(user_events)
            .where(user_events.c.event_type == "drilldown")
        ).scalar_one()
    assert count == 0


def test_a_long_queue_is_written_in_batches_of_the_limit(engine: Engine) -> None:
    batcher = EventBatcher(WriteGate(engine, wait_seconds=10), max_batch=8)
    with another_process_writing(engine, 0.3):
        outcomes = asyncio.run(_log_all(batcher, [_event(4) for _ in range(20)]))
    assert outcomes == [None] * 20
    assert (batcher.batches, batcher.written) == (3, 20)


def test_a_stopped_server_answers_the_waiting_events_instead_of_hanging(engine: Engine) -> None:
    batcher = EventBatcher(WriteGate(engine, wait_seconds=10))

    async def stop_while_waiting() -> list[BaseException | None]:
        logs = (batcher.log(_event(3)) for _ in range(3))
        waiting = asyncio.gather(*logs, return_exceptions=True)
        await asyncio.sleep(0.1)
        assert batcher._writer is not None
        batcher._writer.cancel()
        return [r if isinstance(r, BaseException) else None for r in await waiting]

    with another_process_writing(engine, 1.0):
        outcomes = asyncio.run(stop_while_waiting())
    assert all(isinstance(o, RuntimeError) and "server stopped" in str(o) for o in outcomes)


@pytest.mark.postgres
def test_a_batch_of_events_is_stored_on_postgres(any_engine: Engine) -> None:
    batcher = EventBatcher(WriteGate(any_engine, wait_seconds=10))
    outcomes = asyncio.run(_log_all(batcher, [_event(7, {"i": i}) for i in range(10)]))
    assert outcomes == [None] * 10
    with any_engine.connect() as conn:
        values = conn.execute(
            sa.select(user_event_meta.c.v)
            .join(user_events, user_event_meta.c.event_id == user_events.c.id)
            .where(user_events.c.event_type == "drilldown")
            .order_by(user_events.c.id)
        ).scalars()
        assert list(values) == [float(i) for i in range(10)]
