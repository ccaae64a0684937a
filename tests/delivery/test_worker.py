"""The worker sends queued alerts over real loopback channels, retries failures, logs it all."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.config import Settings
from execdash.db.engine import begin_write
from execdash.db.schema import alerts
from execdash.db.tables import delivery_log, delivery_outbox
from execdash.delivery import alertscan, signing, store, worker
from execdash.delivery.outbox import utcnow
from execdash.delivery.settings import DeliverySettings, SmtpSettings
from execdash.delivery.testsend import send_test
from tests.delivery.conftest import Mailbox, Receiver


def _raise_alert(engine: Engine, **values: str) -> None:
    row = {
        "type": "ops",
        "title": "Uptime dropped below 97%",
        "description": "Fleet uptime was 96.1%.",
        "severity": "high",
        **values,
    }
    with begin_write(engine) as conn:
        conn.execute(alerts.insert().values(**row))
    alertscan.scan(engine, "http://dash.example")


def test_a_signed_webhook_carries_the_alert_and_verifies(
    engine: Engine, receiver: Receiver, delivery_settings: DeliverySettings
) -> None:
    alertscan.scan(engine, "http://dash.example")
    with begin_write(engine) as conn:
        secret = store.add_channel(conn, "hook", "webhook", receiver.url).secret
    assert secret is not None
    _raise_alert(engine)
    results = worker.drain(engine, Settings(database_url=str(engine.url)), delivery_settings)
    assert [r.outcome for r in results] == ["sent"]
    (request,) = receiver.requests
    assert signing.verify(
        secret,
        request.body,
        request.headers["x-execdash-timestamp"],
        request.headers["x-execdash-signature"],
    )
    body = json.loads(request.body)
    assert body["event"] == "alert.created"
    assert body["delivery_id"] == results[0].id == int(request.headers["x-execdash-delivery"])
    assert body["data"]["alert"]["title"] == "Uptime dropped below 97%"
    assert body["data"]["alert"]["description"] == "Fleet uptime was 96.1%."


def test_slack_gets_text_and_blocks(
    engine: Engine, receiver: Receiver, delivery_settings: DeliverySettings
) -> None:
    alertscan.scan(engine, "http://dash.example")
    with begin_write(engine) as conn:
        store.add_channel(conn, "slack", "slack", receiver.url)
    _raise_alert(engine, title="Lead time <spiked> & more")
    worker.drain(engine, Settings(database_url=str(engine.url)), delivery_settings)
    body = json.loads(receiver.requests[0].body)
    assert body["text"] == "New alert (high): Lead time <spiked> & more"
    assert "Lead time &lt;spiked&gt; &amp; more" in body["blocks"][0]["text"]["text"]
    assert "signature" not in " ".join(receiver.requests[0].headers)


def test_an_email_channel_mails_the_alert(
    engine: Engine,
    smtp_server: tuple[Mailbox, SmtpSettings],
    delivery_settings: DeliverySettings,
) -> None:
    box, _ = smtp_server
    alertscan.scan(engine, "http://dash.example")
    with begin_write(engine) as conn:
        store.add_channel(conn, "ops", "email", "ops@example.com, coo@example.com")
    _raise_alert(engine)
    worker.drain(engine, Settings(database_url=str(engine.url)), delivery_settings)
    (message,) = box.messages
    assert message["Subject"] == "New alert (high): Uptime dropped below 97%"
    assert box.envelopes[0][1] == ["ops@example.com", "coo@example.com"]
    assert "Fleet uptime was 96.1%." in message.get_body(("plain",)).get_content()


def test_a_failing_receiver_is_retried_until_it_answers_and_every_try_is_logged(
    engine: Engine, receiver: Receiver, delivery_settings: DeliverySettings
) -> None:
    alertscan.scan(engine, "http://dash.example")
    with begin_write(engine) as conn:
        store.add_channel(conn, "hook", "webhook", receiver.url)
    receiver.statuses.extend([503, 500])
    _raise_alert(engine)
    app = Settings(database_url=str(engine.url))
    for _ in range(3):
        worker.drain(engine, app, delivery_settings)
        with begin_write(engine) as conn:  # skip the back-off wait
            conn.execute(delivery_outbox.update().values(next_attempt_at=_past()))
    with engine.connect() as conn:
        log = conn.execute(
            sa.select(delivery_log.c.outcome, delivery_log.c.detail).order_by(delivery_log.c.id)
        ).all()
        status = conn.execute(sa.select(delivery_outbox.c.status)).scalar()
    assert [o for o, _ in log] == ["retry", "retry", "sent"]
    assert "HTTP 503" in log[0][1]
    assert "HTTP 500" in log[1][1]
    assert status == "sent"
    assert len(receiver.requests) == 3
    bodies = {r.body for r in receiver.requests}
    assert len(bodies) == 1  # the same delivery each time: receivers de-duplicate by its id


def _past() -> dt.datetime:
    return utcnow() - dt.timedelta(seconds=1)


def test_a_permanent_error_fails_at_once_and_says_why(
    engine: Engine, receiver: Receiver, delivery_settings: DeliverySettings
) -> None:
    with begin_write(engine) as conn:
        store.add_channel(conn, "hook", "webhook", receiver.url)
    receiver.statuses.append(404)
    result = send_test(
        engine, Settings(database_url=str(engine.url)), delivery_settings, "hook", "alice"
    )
    assert result.outcome == "failed"
    assert "HTTP 404" in result.detail
    assert json.loads(receiver.requests[0].body)["data"]["requested_by"] == "alice"
