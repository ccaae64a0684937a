"""A database the seed's own backend ran on is adopted in place: upgraded, served, untouched."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from execdash.api import create_app
from execdash.cli import app as cli
from execdash.config import Settings
from execdash.db import migrate
from execdash.db import tables as t
from execdash.db.engine import create_engine
from tests.db import other_system

PASSWORD = "adopted password"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, any_url: str) -> CliRunner:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", any_url)
    return CliRunner()


def _run(runner: CliRunner, args: list[str], stdin: str | None = None) -> str:
    result = runner.invoke(cli, args, input=stdin)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result.output


def test_upgrade_users_add_and_serve_keep_every_row_of_the_other_system(
    runner: CliRunner, any_url: str
) -> None:
    engine = create_engine(any_url)
    other_system.build(engine)
    before = other_system.snapshot(engine)

    assert "migrated from empty" in _run(runner, ["db", "upgrade"])
    _run(runner, ["users", "add", "chief", "--role", "admin", "--password-stdin"], PASSWORD)

    assert other_system.snapshot(engine) == before, "not one row of that system changed"
    names = set(sa.inspect(engine).get_table_names())
    assert set(t.app_metadata.tables) <= names
    assert migrate.current_revision(engine) == migrate.head_revision(engine)

    settings = Settings(database_url=any_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        board = client.get("/api/v1/dashboard?range=6m&as_of=2026-10").json()
        revenue = next(k for k in board["kpis"] if k["key"] == "revenue")
        expected = sum(other_system.RECOGNIZED[m] for m in other_system.MONTHS[-6:])
        assert revenue["value"] == pytest.approx(expected)

        marketing = client.get("/api/v1/marketing?range=3m&as_of=2026-10").json()
        nps = next(k for k in marketing["kpis"] if k["key"] == "nps")
        scores = other_system.NPS_SCORES + other_system.NPS_UPPER  # 'nps' and 'NPS' both count
        net = sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)
        assert nps["value"] == pytest.approx(net / len(scores))  # (5 - 2) / 8

        inbox = client.get("/api/messages?archived=false").json()
        # same created_at (that system's CURRENT_TIMESTAMP): the newer id first
        assert [(m["title"], m["read"]) for m in inbox] == [("Audit", True), ("Welcome", False)]
        assert client.get("/api/messages/unread-count").json() == {"count": 1}
        days = client.get("/api/meetings?start_date=2026-11-29&end_date=2026-11-30").json()
        assert [(m["title"], m["start_time"]) for m in days] == [
            ("Board prep", "2026-11-29T14:00:00Z"),
            ("Daily Standup", "2026-11-30T09:00:00Z"),
        ]

        assert client.get("/api/users/me").status_code == 401
        login = {"username": "chief", "password": PASSWORD}
        assert client.post("/api/v1/auth/login", json=login).status_code == 200
        me = client.get("/api/users/me").json()
        assert (me["name"], me["email"], me["role"]) == ("Demo User", "demo@example.com", "Admin")
        assert client.get("/api/users/me/settings").json() == {
            "theme": "dark", "notifications_enabled": True, "email_notifications": True,
            "language": "fr", "date_format": "YYYY-MM-DD", "time_format": "12h",
        }  # fmt: skip
    assert other_system.snapshot(engine) == before, "serving reads changed nothing"


def test_a_seed_table_without_a_needed_column_is_one_clear_error(
    runner: CliRunner, any_url: str
) -> None:
    engine = create_engine(any_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL)"))
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "table 'orders'" in result.output
    assert "'profit'" in result.output
    assert "execdash db upgrade" in result.output
    assert set(sa.inspect(engine).get_table_names()) == {"orders"}, "nothing was created"


def test_a_users_table_of_another_shape_leaves_profiles_saying_why(
    runner: CliRunner, any_url: str
) -> None:
    engine = create_engine(any_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT)"))
        conn.execute(sa.text("INSERT INTO users VALUES (7, 'old')"))
    _run(runner, ["db", "upgrade"])
    _run(runner, ["users", "add", "chief", "--role", "admin", "--password-stdin"], PASSWORD)
    with TestClient(create_app(Settings(database_url=any_url))) as client:
        login = {"username": "chief", "password": PASSWORD}
        assert client.post("/api/v1/auth/login", json=login).status_code == 200
        response = client.get("/api/users/me")
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/json"
        assert "no column 'name', 'email'" in response.json()["message"]
        assert client.get("/api/messages/unread-count").json() == {"count": 0}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT * FROM users")).all() == [(7, "old")]


def test_an_older_meetings_table_gets_the_category_that_system_adds_itself(
    runner: CliRunner, any_url: str
) -> None:
    engine = create_engine(any_url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "CREATE TABLE meetings (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
            "description TEXT, start_time TIMESTAMP NOT NULL, end_time TIMESTAMP NOT NULL, "
            "location TEXT, attendees TEXT, created_at TIMESTAMP NOT NULL, "
            "updated_at TIMESTAMP NOT NULL)"))  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO meetings VALUES (1, 'Sync', NULL, '2026-11-30 09:00:00', "
            "'2026-11-30 09:30:00', NULL, NULL, '2026-11-01 00:00:00', "
            "'2026-11-01 00:00:00')"))  # fmt: skip
    _run(runner, ["db", "upgrade"])
    with TestClient(create_app(Settings(database_url=any_url))) as client:
        day = client.get("/api/meetings?start_date=2026-11-30&end_date=2026-11-30").json()
    assert [(m["id"], m["title"], m["category"]) for m in day] == [(1, "Sync", "meeting")]
