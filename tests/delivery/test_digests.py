"""The digest: the page's numbers, the role's order, charts inline, and one per period, ever."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from execdash.db.engine import begin_write, create_engine
from execdash.db.tables import delivery_outbox
from execdash.delivery import digests, render, store, worker
from execdash.delivery.formatting import (
    format_change,
    format_delta,
    format_period,
    format_points,
    format_value,
)
from execdash.delivery.settings import DeliverySettings
from execdash.demo.plans import write_plans
from tests.delivery.conftest import Mailbox, SmtpSettings

MONDAY_NOON = dt.datetime(2026, 11, 30, 12, 0)


@pytest.fixture
def api(demo_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=str(demo_engine.url)))) as client:
        yield client


def _who(role: str, range_: str = "12m") -> digests.Recipient:
    return digests.Recipient(None, "Dana", "dana@example.com", role, "weekly", range_)


@pytest.mark.parametrize(("role", "range_"), [("ceo", "12m"), ("cfo", "6m"), ("coo", "ytd")])
def test_every_kpi_reads_as_the_api_says(
    demo_engine: Engine, api: TestClient, role: str, range_: str
) -> None:
    with demo_engine.connect() as conn:
        d = digests.build(conn, _who(role, range_), symbol="£", public_url="http://x")
    answer = api.get("/api/v1/dashboard", params={"range": range_}).json()
    by_key = {k["key"]: k for k in answer["kpis"]}
    assert {row.key for row in d.kpis} == set(by_key)
    page = render.html(d, [], inline=True)
    for row in d.kpis:
        k = by_key[row.key]
        assert row.kpi.value == k["value"]
        assert row.value == format_value(k["value"], k["unit"], k["key"])
        if k["change"] is not None and k["comparable"]:
            assert row.change == format_change(k["change_unit"], k["change"], k["delta"], k["key"])
            assert row.tone == {True: "good", False: "bad", None: "neutral"}[k["favourable"]]
        assert f">{row.value}<" in page
    summary = api.get("/api/v1/summary", params={"range": range_}).json()
    assert sorted(t for _, t in d.statements) == sorted(s["text"] for s in summary["statements"])


def _read(page: str) -> str:
    """The digest's HTML as a reader sees it: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_each_planned_kpi_shows_its_plan_status_as_the_tile(
    demo_engine: Engine, api: TestClient
) -> None:
    write_plans(demo_engine, dt.date(2026, 10, 1))
    with demo_engine.connect() as conn:
        d = digests.build(conn, _who("cfo"), symbol="£", public_url="http://x")
    answer = api.get("/api/v1/dashboard", params={"range": "12m"}).json()
    seen = _read(render.html(d, [], inline=True))
    plain = render.text(d)
    words = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
    planned = [k for k in answer["kpis"] if k["plan"] is not None and k["plan"]["status"]]
    assert len(planned) >= 5
    name = f"{planned[0]['plan']['plan_name']} v{planned[0]['plan']['plan_version']}"
    assert f"Against plan {name}: the status is judged on where each KPI's plan year" in seen
    for k in planned:
        p = k["plan"]
        status = words[p["status"]]
        attained = f" · {format_value(p['attainment'], 'ratio')} of plan" if p["attainment"] else ""
        variance = (
            format_points(p["variance"], k["key"])
            if p["variance_unit"] == "points"
            else format_delta(p["variance_pct"])
        )
        figures = f"Plan {format_value(p['plan'], k['unit'], k['key'])} · {variance} vs plan"
        assert f"{k['label']} {status}{attained} {figures}" in seen, k["key"]
        assert f"- {k['label']}: " in plain
        assert f"{status}{attained.replace(' ·', ',')} ({figures}" in plain, k["key"]
        if p["months"] < p["window_months"]:  # as the tile: the months the plan holds
            start, end = (format_period(p[m]) for m in ("start_month", "end_month"))
            assert f"{figures} plan covers {start} – {end}" in seen, k["key"]
    revenue = next(k for k in planned if k["key"] == "revenue")["plan"]
    # the tile's own numbers, by hand: attainment = actual / plan over the planned months
    assert revenue["attainment"] == pytest.approx(revenue["actual"] / revenue["plan"])


def test_without_an_active_plan_the_digest_shows_no_plan_status(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        d = digests.build(conn, _who("ceo"), symbol="£", public_url="http://x")
    assert d.plan_name is None
    assert all(k.plan is None for k in d.kpis)
    seen = _read(render.html(d, [], inline=True))
    assert "Against plan" not in seen
    assert "of plan" not in seen


def test_each_role_reads_its_own_figures_first(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        first = {
            role: [
                k.key
                for k in digests.build(conn, _who(role), symbol="£", public_url="http://x").kpis[:2]
            ]
            for role in ("ceo", "cfo", "coo", "cro")
        }
    assert first == {
        "ceo": ["revenue", "backlog"],
        "cfo": ["revenue", "gm"],
        "coo": ["uptime", "backlog"],
        "cro": ["book_to_bill", "arr"],
    }


def test_the_email_carries_text_html_and_inline_charts(
    demo_engine: Engine, smtp_server: tuple[Mailbox, SmtpSettings]
) -> None:
    box, smtp = smtp_server
    with begin_write(demo_engine) as conn:
        store.add_recipient(conn, "Carla", "cfo@example.com", "cfo")
    with demo_engine.connect() as conn:
        who = digests.recipient(conn, "cfo@example.com")
    queued = digests.queue_now(demo_engine, who, 7)
    result = worker.deliver(
        demo_engine,
        Settings(database_url=str(demo_engine.url)),
        DeliverySettings(smtp=smtp),
        only=queued,
    )
    assert result is not None
    assert result.outcome == "sent", result.detail
    (message,) = box.messages
    assert message["To"] == "cfo@example.com"
    assert message["Subject"].startswith("Weekly digest · ")
    html = message.get_body(("html",)).get_content()
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 2
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Key figures" in html
    assert "What moved and why" in html
    assert "KEY FIGURES" in message.get_body(("plain",)).get_content()
    assert digests.queue_now(demo_engine, who, 7) is None  # sent: not again this period


def test_two_servers_queue_each_due_digest_once(any_engine: Engine) -> None:
    with begin_write(any_engine) as conn:
        for i in range(5):
            store.add_recipient(conn, f"r{i}", f"r{i}@example.com", "ceo", "weekly")
        conn.execute(
            sa.text("UPDATE execdash_digest_recipients SET created_at = :t"),
            {"t": dt.datetime(2026, 1, 1)},
        )
    url = any_engine.url.render_as_string(hide_password=False)
    start = threading.Barrier(4)
    queued: list[list[int]] = [[] for _ in range(4)]

    def server(slot: int) -> None:
        engine = create_engine(url)
        start.wait(10)
        queued[slot] = digests.queue_due(engine, 7, now=MONDAY_NOON)
        engine.dispose()

    threads = [threading.Thread(target=server, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [i for ids in queued for i in ids]
    assert len(every) == len(set(every)) == 5
    with any_engine.connect() as conn:
        keys = conn.execute(sa.select(delivery_outbox.c.dedup_key)).scalars().all()
    assert sorted(keys) == [f"digest:{i}:2026-W49" for i in range(1, 6)]
    assert digests.queue_due(any_engine, 7, now=MONDAY_NOON + dt.timedelta(days=3)) == []
    assert len(digests.queue_due(any_engine, 7, now=MONDAY_NOON + dt.timedelta(days=7))) == 5


def test_two_senders_at_once_mail_each_digest_once(
    demo_engine: Engine, smtp_server: tuple[Mailbox, SmtpSettings]
) -> None:
    box, smtp = smtp_server
    with begin_write(demo_engine) as conn:
        store.add_recipient(conn, "A", "a@example.com", "ceo", "weekly")
        store.add_recipient(conn, "B", "b@example.com", "coo", "monthly")
        conn.execute(
            sa.text("UPDATE execdash_digest_recipients SET created_at = :t"),
            {"t": dt.datetime(2026, 1, 1)},
        )
    url = demo_engine.url.render_as_string(hide_password=False)
    settings = DeliverySettings(smtp=smtp)
    start = threading.Barrier(2)

    def server() -> None:
        engine = create_engine(url)
        start.wait(10)
        digests.queue_due(engine, 7, now=MONDAY_NOON)  # not the clock: both periods due
        worker.drain(engine, Settings(database_url=url), settings)
        engine.dispose()

    threads = [threading.Thread(target=server) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert sorted(to for _, (to,) in box.envelopes) == ["a@example.com", "b@example.com"]


def test_a_database_without_data_says_so(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(digests.DigestError, match="no revenue data"):
        digests.build(conn, _who("ceo"), symbol="£", public_url="http://x")
