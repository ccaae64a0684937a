"""The delivery jobs the scheduler runs (see `execdash.scheduler`): find new and changed alerts,
queue digests that fall due, and send what the outbox holds."""

from __future__ import annotations

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from execdash.config import Settings
from execdash.delivery import alertscan, digests, worker
from execdash.delivery.settings import DeliverySettings
from execdash.scheduler import Job

ALERT_SCAN_S = 15
DIGEST_CHECK_S = 300
DRAIN_S = 5


def jobs(settings: Settings) -> list[Job]:
    """The delivery jobs, configured from the environment (read once, here)."""
    delivery = DeliverySettings.from_env()

    def scan_alerts(engine: Engine) -> None:
        alertscan.scan(engine, delivery.public_url)

    def queue_digests(engine: Engine) -> None:
        digests.queue_due(engine, delivery.digest_hour)

    def send(engine: Engine) -> None:
        worker.drain(engine, settings, delivery)

    return [
        Job("delivery.scan_alerts", scan_alerts, IntervalTrigger(seconds=ALERT_SCAN_S)),
        Job("delivery.queue_digests", queue_digests, IntervalTrigger(seconds=DIGEST_CHECK_S)),
        Job("delivery.send", send, IntervalTrigger(seconds=DRAIN_S)),
    ]
