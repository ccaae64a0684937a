"""The outbox on SQLite and PostgreSQL: queued once, claimed by one worker, retried, logged."""

from __future__ import annotations

import datetime as dt
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import begin_write, create_engine
from execdash.db.tables import delivery_log, delivery_outbox
from execdash.delivery import outbox


def _queue(engine: Engine, key: str = "test:1") -> int:
    with begin_write(engine) as conn:
        new_id = outbox.enqueue(conn, "test", key, {"event": "test", "channel": "x"})
    assert new_id is not None
    return new_id


def test_a_key_is_queued_once(any_engine: Engine) -> None:
    first = _queue(any_engine)
    with begin_write(any_engine) as conn:
        assert outbox.enqueue(conn, "test", "test:1", {"event": "test"}) is None
        assert conn.execute(sa.select(sa.func.count()).select_from(delivery_outbox)).scalar() == 1
    assert first > 0


def test_two_workers_never_claim_the_same_delivery(any_engine: Engine) -> None:
    ids = {_queue(any_engine, f"test:{i}") for i in range(20)}
    url = any_engine.url.render_as_string(hide_password=False)
    claimed: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def work(slot: int) -> None:
        engine = create_engine(url)
        start.wait(10)
        while (got := outbox.claim_next(engine)) is not None:
            claimed[slot].append(got.id)
        engine.dispose()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(claimed[0] + claimed[1]) == sorted(ids)
    assert not set(claimed[0]) & set(claimed[1])


def test_a_transient_failure_is_retried_later_and_logged(any_engine: Engine) -> None:
    row_id = _queue(any_engine)
    claimed = outbox.claim_next(any_engine)
    assert claimed is not None
    assert claimed.attempts == 1
    outcome = outbox.finish(
        any_engine, claimed, error="HTTP 503", transient=True, max_attempts=3, duration_ms=5
    )
    assert outcome == "retry"
    assert outbox.claim_next(any_engine) is None  # not due for 30 s
    with any_engine.connect() as conn:
        row = conn.execute(sa.select(delivery_outbox)).one()
        assert (row.status, row.last_error) == ("pending", "HTTP 503")
        wait = row.next_attempt_at - outbox.utcnow()
        assert dt.timedelta(seconds=25) < wait <= dt.timedelta(seconds=30)
        log = conn.execute(sa.select(delivery_log)).one()
        assert (log.outbox_id, log.attempt, log.outcome, log.detail) == (
            row_id,
            1,
            "retry",
            "HTTP 503",
        )


def test_the_last_attempt_fails_for_good_and_is_logged(any_engine: Engine) -> None:
    _queue(any_engine)
    with begin_write(any_engine) as conn:
        conn.execute(delivery_outbox.update().values(attempts=2))
    claimed = outbox.claim_next(any_engine)
    assert claimed is not None
    assert claimed.attempts == 3
    outcome = outbox.finish(
        any_engine, claimed, error="HTTP 503", transient=True, max_attempts=3, duration_ms=5
    )
    assert outcome == "failed"
    with any_engine.connect() as conn:
        assert conn.execute(sa.select(delivery_outbox.c.status)).scalar() == "failed"
        assert conn.execute(sa.select(delivery_log.c.outcome)).scalars().all() == ["failed"]
    with begin_write(any_engine) as conn:
        assert outbox.retry(conn, claimed.id)
    assert outbox.claim_next(any_engine) is not None


def test_a_claim_left_by_a_dead_worker_expires(any_engine: Engine) -> None:
    _queue(any_engine)
    assert outbox.claim_next(any_engine) is not None  # this worker "dies" here
    assert outbox.claim_next(any_engine) is None
    with begin_write(any_engine) as conn:
        conn.execute(
            delivery_outbox.update().values(claimed_until=outbox.utcnow() - dt.timedelta(seconds=1))
        )
    again = outbox.claim_next(any_engine)
    assert again is not None
    assert again.attempts == 2


def test_backoff_grows_and_is_bounded() -> None:
    waits = [outbox.backoff(n).total_seconds() for n in range(1, 12)]
    assert waits[:3] == [30, 120, 600]
    assert waits == sorted(waits)
    assert max(waits) == 4 * 3600
