"""Find new and changed alerts in the seed's `alerts` table and queue them for every channel.

Works from the table alone, whoever writes it (the alert rules, the API, an ETL job): each
alert's fingerprint (SHA-256 of type, title, description, severity) is compared with the one last
queued. The first scan of an installation records what exists without sending it (no flood of
old alerts); later scans queue each new alert and each changed one, once per channel whose
minimum severity it reaches (the outbox de-duplicates by alert, fingerprint and channel, so
several workers scanning at once queue it once). A message links to the alert's drill-down
(the metric's page at its month) when an alert rule raised it, else to the Alerts page.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import begin_write
from execdash.db.schema import alerts
from execdash.db.tables import (
    alert_firings,
    alert_rules,
    alert_status,
    app_meta,
    delivery_alerts_seen,
    delivery_channels,
)
from execdash.db.upsert import insert
from execdash.delivery import outbox

BASELINE_KEY = "delivery_alerts_baseline"
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
SEEN = delivery_alerts_seen


def fingerprint(type_: str, title: str, description: str | None, severity: str | None) -> str:
    """SHA-256 hex of what a reader sees of an alert."""
    text = json.dumps([type_, title, description, severity], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def reaches(severity: str | None, minimum: str) -> bool:
    """Whether an alert of `severity` (unrated counts as low) goes to a channel of `minimum`."""
    return SEVERITY_RANK.get(severity or "low", 1) >= SEVERITY_RANK[minimum]


def drilldown_path(metric: str | None, period: str | None) -> str | None:
    """The page of the metric an alert rule watched, at the alert's month (None otherwise)."""
    from execdash.alerts.catalog import METRICS  # the rules' metrics (their drill-down pages)

    found = METRICS.get(metric or "")
    return found.drilldown_url(period) if found else None


def _changes(conn: sa.Connection) -> tuple[bool, list[tuple[str, dict[str, Any], str]]]:
    """(baseline taken?, [(event, alert, fingerprint)]) for alerts new or changed since queued."""
    baseline = conn.execute(
        sa.select(app_meta.c.value).where(app_meta.c.key == BASELINE_KEY)
    ).scalar_one_or_none()
    seen = {int(i): str(f) for i, f in conn.execute(sa.select(SEEN.c.alert_id, SEEN.c.fingerprint))}
    rows = conn.execute(
        sa.select(
            alerts,
            sa.func.coalesce(alert_status.c.status, "open").label("status"),
            alert_rules.c.metric,
            alert_firings.c.last_period,
        )
        .select_from(
            alerts.outerjoin(alert_status, alert_status.c.alert_id == alerts.c.id)
            .outerjoin(alert_firings, alert_firings.c.alert_id == alerts.c.id)
            .outerjoin(alert_rules, alert_rules.c.id == alert_firings.c.rule_id)
        )
        .order_by(alerts.c.id)
    )
    found = []
    for row in rows:
        mark = fingerprint(row.type, row.title, row.description, row.severity)
        if seen.get(row.id) == mark:
            continue
        event = "alert.updated" if row.id in seen else "alert.created"
        created = row.created_at.isoformat() if row.created_at is not None else None
        alert = {
            "id": row.id,
            "type": row.type,
            "title": row.title,
            "description": row.description,
            "severity": row.severity,
            "created_at": created,
            "status": row.status,
            "drilldown": drilldown_path(row.metric, row.last_period),
        }
        found.append((event, alert, mark))
    return baseline is not None, found


def scan(engine: Engine, public_url: str) -> int:
    """Queue deliveries for new and changed alerts; the number of deliveries queued."""
    with engine.connect() as conn:  # a read first: most scans find nothing and write nothing
        has_baseline, found = _changes(conn)
    if has_baseline and not found:
        return 0
    queued = 0
    with begin_write(engine) as conn:
        has_baseline, found = _changes(conn)  # again under the write lock: the current truth
        channels = (
            []
            if not has_baseline
            else conn.execute(
                sa.select(delivery_channels).where(delivery_channels.c.enabled.is_(True))
            ).all()
        )
        for event, alert, mark in found:
            for channel in channels:
                if not reaches(alert["severity"], channel.min_severity):
                    continue
                page = alert["drilldown"] or "/alerts"
                payload = {"event": event, "alert": alert, "url": f"{public_url}{page}"}
                key = f"alert:{alert['id']}:{mark[:16]}:{channel.id}"
                if outbox.enqueue(conn, "alert", key, payload, channel_id=channel.id):
                    queued += 1
            conn.execute(
                insert(conn, SEEN)
                .values(alert_id=alert["id"], fingerprint=mark, seen_at=outbox.utcnow())
                .on_conflict_do_update(
                    index_elements=[SEEN.c.alert_id],
                    set_={"fingerprint": mark, "seen_at": outbox.utcnow()},
                )
            )
        if not has_baseline:
            conn.execute(
                insert(conn, app_meta)
                .values(key=BASELINE_KEY, value=outbox.utcnow().isoformat())
                .on_conflict_do_nothing(index_elements=[app_meta.c.key])
            )
    return queued
