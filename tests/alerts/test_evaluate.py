"""Evaluation on a real database: one alert per rule episode, updated, resolved; the hook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.alerts import evaluate, hook, store
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.changes import add_change_hook, record_data_change, remove_change_hook
from execdash.db.engine import begin_write
from execdash.plans import store as plan_store

FLOOR = {"name": "Revenue floor", "metric": "revenue", "kind": "threshold",
         "direction": "below", "value": 1000.0, "hysteresis": 0.05, "severity": "high"}  # fmt: skip


def put_month(conn: sa.Connection, period: str, recognized: float) -> None:
    conn.execute(s.revenue_trend.delete().where(s.revenue_trend.c.period == period))
    conn.execute(s.revenue_trend.insert().values(period=period, recognized=recognized))


def add_rule(engine: Engine, **values: Any) -> int:
    with begin_write(engine) as conn:
        return store.insert_rule(conn, {**FLOOR, **values}, "tester")


def alerts(conn: sa.Connection) -> list[dict[str, Any]]:
    query = (
        sa.select(s.alerts, t.alert_status.c.status, t.alert_status.c.updated_by)
        .select_from(s.alerts.outerjoin(t.alert_status, t.alert_status.c.alert_id == s.alerts.c.id))
        .order_by(s.alerts.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def step(engine: Engine, period: str, value: float) -> list[evaluate.Outcome]:
    with begin_write(engine) as conn:
        put_month(conn, period, value)
        return evaluate.evaluate(conn)


def test_a_rule_fires_once_per_episode_and_resolves_past_the_margin(any_engine: Engine) -> None:
    rule_id = add_rule(any_engine)
    assert step(any_engine, "2026-08", 1200)[0].action == "quiet"
    fired = step(any_engine, "2026-09", 900)[0]
    assert (fired.action, fired.period) == ("fired", "2026-09")
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
    assert alert["title"] == "Revenue below £1.0K in Sep 2026"
    assert alert["description"] == (
        "Revenue was £900 in Sep 2026, below the line of £1.0K set by rule “Revenue floor” (#"
        f"{rule_id}). It resolves when revenue is back to £1.1K or more."
    )
    assert (alert["type"], alert["severity"], alert["status"]) == ("finance", "high", None)
    # evaluating the same month again never adds a row
    with begin_write(any_engine) as conn:
        assert evaluate.evaluate(conn)[0].action == "firing"
    # 1,020 is back above the line but inside the 5% margin: the same alert, updated
    updated = step(any_engine, "2026-10", 1020)[0]
    assert (updated.action, updated.alert_id) == ("updated", fired.alert_id)
    # 1,060 clears it (line 1,000 + 5%)
    resolved = step(any_engine, "2026-11", 1060)[0]
    assert (resolved.action, resolved.alert_id) == ("resolved", fired.alert_id)
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
        [episode] = conn.execute(sa.select(t.alert_firings)).all()
    assert (alert["status"], alert["updated_by"]) == ("closed", "execdash")
    assert alert["description"].endswith(" Resolved: revenue was £1.1K in Nov 2026.")
    assert (episode.period, episode.last_period, episode.state) == (
        "2026-09",
        "2026-11",
        "resolved",
    )
    # a new breach is a new episode, a new alert
    again = step(any_engine, "2026-12", 500)[0]
    assert again.action == "fired"
    assert again.alert_id != fired.alert_id


def test_firing_again_in_the_same_month_reopens_the_same_alert(any_engine: Engine) -> None:
    add_rule(any_engine)
    first = step(any_engine, "2026-09", 900)[0]
    assert step(any_engine, "2026-09", 1100)[0].action == "resolved"
    again = step(any_engine, "2026-09", 800)[0]
    assert (again.action, again.alert_id) == ("updated", first.alert_id)
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
    assert alert["status"] == "open"
    assert "£800" in alert["description"]


def test_disabled_rules_and_other_metrics_are_not_evaluated(any_engine: Engine) -> None:
    add_rule(any_engine, enabled=False)
    with begin_write(any_engine) as conn:
        put_month(conn, "2026-09", 10)
        assert evaluate.evaluate(conn) == []
    add_rule(any_engine)
    with begin_write(any_engine) as conn:
        assert evaluate.evaluate(conn, frozenset({"user_events"})) == []
        assert evaluate.evaluate(conn, frozenset({"revenue_trend"}))[0].action == "fired"


def test_closing_a_rules_alerts_resolves_its_episode(any_engine: Engine) -> None:
    rule_id = add_rule(any_engine)
    fired = step(any_engine, "2026-09", 900)[0]
    with begin_write(any_engine) as conn:
        assert evaluate.close_rule_alerts(conn, rule_id, "alice", "the rule was disabled") == 1
        [alert] = alerts(conn)
    assert alert["id"] == fired.alert_id
    assert (alert["status"], alert["updated_by"]) == ("closed", "alice")
    assert alert["description"].endswith(" Resolved: the rule was disabled.")


def test_evaluation_moves_the_versions_of_what_it_wrote(any_engine: Engine) -> None:
    from execdash.db import versions

    add_rule(any_engine)
    with any_engine.connect() as conn:
        before = versions.of(conn, store.OWN_TABLES)
    step(any_engine, "2026-09", 900)
    with any_engine.connect() as conn:
        after = versions.of(conn, store.OWN_TABLES)
        assert not conn.execute(sa.select(t.stale).where(t.stale.c.target == "alerts")).first()
    assert all(after[name] > before[name] for name in store.OWN_TABLES)


@pytest.fixture
def installed() -> Iterator[None]:
    hook.install()
    yield
    remove_change_hook(hook.after_change)


def test_every_data_change_evaluates_the_rules(any_engine: Engine, installed: None) -> None:
    del installed
    add_rule(any_engine)
    with begin_write(any_engine) as conn:
        put_month(conn, "2026-09", 900)
        record_data_change(conn, ["revenue_trend"])
    with any_engine.connect() as conn:
        assert [a["title"] for a in alerts(conn)] == ["Revenue below £1.0K in Sep 2026"]


def test_a_failing_hook_never_fails_the_data_change(
    any_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(conn: sa.Connection, changed: frozenset[str] | None) -> None:
        conn.execute(s.alerts.insert().values(type="x", title="half-written"))
        raise RuntimeError("boom")

    add_change_hook(broken)
    try:
        with begin_write(any_engine) as conn:
            put_month(conn, "2026-09", 900)
            record_data_change(conn, ["revenue_trend"])
    finally:
        remove_change_hook(broken)
    with any_engine.connect() as conn:
        assert conn.execute(sa.select(s.revenue_trend.c.recognized)).scalar() == 900
        assert alerts(conn) == []  # the hook's own writes were undone
    assert "boom" in caplog.text


def test_off_plan_rule_follows_the_data_and_the_plan(any_engine: Engine, installed: None) -> None:
    del installed
    with begin_write(any_engine) as conn:
        put_month(conn, "2026-09", 1000)
        put_month(conn, "2026-10", 940)
        rows = [("revenue", f"2026-{m:02d}", "", "", 1000.0) for m in (9, 10)]
        plan = plan_store.create_plan(conn, "Budget", rows, activate=True)
    rule_id = add_rule(any_engine, kind="off_plan", direction="below", value=0.05)
    with begin_write(any_engine) as conn:
        [fired] = evaluate.evaluate(conn)
    assert (fired.action, fired.period) == ("fired", "2026-10")
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
    assert alert["title"] == "Revenue 6.0% below plan in Oct 2026"
    assert alert["description"] == (
        "Revenue was £940 in Oct 2026 against a plan of £1.0K (Budget v1): −£60 (−6.0%), more "
        f"than the 5.0% below plan allowed by rule “Revenue floor” (#{rule_id}). It resolves "
        "when revenue is within 4.8% of plan."
    )
    # a target edit re-evaluates through the change hook: same month, same actual, new gap
    with begin_write(any_engine) as conn:
        plan_store.set_target(conn, plan.id, ("revenue", "2026-10", "", "", 1100.0), "tester")
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
    assert alert["title"] == "Revenue 14.5% below plan in Oct 2026"
    # back within 4.75% of plan: resolved with the numbers that cleared it
    with begin_write(any_engine) as conn:
        put_month(conn, "2026-10", 1050)
        record_data_change(conn, ["revenue_trend"])
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
    assert alert["status"] == "closed"
    assert alert["description"].endswith(
        " Resolved: revenue was £1.1K in Oct 2026 against a plan of £1.1K."
    )


def test_off_plan_episode_closes_when_the_plan_no_longer_covers_the_month(
    any_engine: Engine,
) -> None:
    with begin_write(any_engine) as conn:
        put_month(conn, "2026-10", 900)
        plan = plan_store.create_plan(conn, "Budget", [("revenue", "2026-10", "", "", 1000.0)],
                                      activate=True)  # fmt: skip
    add_rule(any_engine, kind="off_plan", direction="below", value=0.05)
    assert step(any_engine, "2026-10", 900)[0].action == "fired"
    with begin_write(any_engine) as conn:
        plan_store.set_target(conn, plan.id, ("revenue", "2026-10", "", "", None), "tester")
        [outcome] = evaluate.evaluate(conn)
    assert outcome.action == "resolved"
    with any_engine.connect() as conn:
        [alert] = alerts(conn)
    assert alert["status"] == "closed"
    assert alert["description"].endswith(
        " Resolved: the active plan has no target for revenue for Oct 2026."
    )
