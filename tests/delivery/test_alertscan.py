"""New and changed alerts are found in the alerts table and queued once per matching channel."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.alerts import store as rule_store
from execdash.db.engine import begin_write
from execdash.db.schema import alerts
from execdash.db.tables import delivery_outbox
from execdash.delivery import alertscan, store


def _alert(engine: Engine, title: str, severity: str = "high") -> int:
    with begin_write(engine) as conn:
        return int(
            conn.execute(
                alerts.insert()
                .values(type="ops", title=title, description="d", severity=severity)
                .returning(alerts.c.id)
            ).scalar_one()
        )


def _queued(engine: Engine) -> list[tuple[str, int, int]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(delivery_outbox).order_by(delivery_outbox.c.id)).all()
    return [
        (json.loads(r.payload)["event"], json.loads(r.payload)["alert"]["id"], r.channel_id)
        for r in rows
    ]


def test_alerts_present_at_the_first_scan_are_not_sent(any_engine: Engine) -> None:
    _alert(any_engine, "old news")
    with begin_write(any_engine) as conn:
        store.add_channel(conn, "hook", "webhook", "http://127.0.0.1:9/h")
    assert alertscan.scan(any_engine, "http://dash") == 0
    assert _queued(any_engine) == []


def test_new_and_changed_alerts_go_to_channels_whose_minimum_they_reach(
    any_engine: Engine,
) -> None:
    alertscan.scan(any_engine, "http://dash")  # the baseline: an empty table
    with begin_write(any_engine) as conn:
        everything = store.add_channel(conn, "all", "webhook", "http://127.0.0.1:9/a").id
        serious = store.add_channel(conn, "pager", "slack", "https://hooks.example/x", "high").id
    low = _alert(any_engine, "minor", "low")
    high = _alert(any_engine, "major", "high")
    assert alertscan.scan(any_engine, "http://dash") == 3
    assert _queued(any_engine) == [
        ("alert.created", low, everything),
        ("alert.created", high, everything),
        ("alert.created", high, serious),
    ]
    assert alertscan.scan(any_engine, "http://dash") == 0  # nothing changed since
    with begin_write(any_engine) as conn:
        conn.execute(alerts.update().where(alerts.c.id == low).values(description="worse"))
    assert alertscan.scan(any_engine, "http://dash") == 1
    assert _queued(any_engine)[-1] == ("alert.updated", low, everything)


def test_two_scanners_at_once_queue_each_alert_once(any_engine: Engine) -> None:
    import threading

    alertscan.scan(any_engine, "http://dash")
    with begin_write(any_engine) as conn:
        store.add_channel(conn, "all", "webhook", "http://127.0.0.1:9/a")
    for i in range(5):
        _alert(any_engine, f"a{i}")
    threads = [
        threading.Thread(target=alertscan.scan, args=(any_engine, "http://d")) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(_queued(any_engine)) == 5


def test_an_alert_a_rule_raised_links_to_its_drilldown(any_engine: Engine) -> None:
    alertscan.scan(any_engine, "http://dash")  # the baseline: an empty table
    with begin_write(any_engine) as conn:
        store.add_channel(conn, "all", "webhook", "http://127.0.0.1:9/a")
        rule_id = rule_store.insert_rule(
            conn, {"name": "Floor", "metric": "revenue", "kind": "threshold",
                   "direction": "below", "value": 1.0}, "tester",
        )  # fmt: skip
    by_rule = _alert(any_engine, "Revenue below plan")
    by_person = _alert(any_engine, "Gateway down")
    with begin_write(any_engine) as conn:
        rule_store.add_firing(conn, rule_id, by_rule, "2026-10", 0.5)
    assert alertscan.scan(any_engine, "http://dash") == 2
    with any_engine.connect() as conn:
        payloads = [
            json.loads(p) for p in conn.execute(sa.select(delivery_outbox.c.payload)).scalars()
        ]
    urls = {p["alert"]["id"]: p["url"] for p in payloads}
    assert urls == {
        by_rule: "http://dash/kpi/revenue?as_of=2026-10",
        by_person: "http://dash/alerts",
    }
