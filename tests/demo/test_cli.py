"""`execdash demo` on the command line: generates, refuses a non-empty database, validates input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from execdash.cli import app

ARGS = ["demo", "--orders", "1500", "--months", "13", "--end-month", "2025-08", "--seed", "9"]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> CliRunner:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", sqlite_url)
    return CliRunner()


def _orders(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar_one()
    engine.dispose()
    return int(count)


def test_generates_into_an_empty_database_and_prints_the_summary(
    runner: CliRunner, sqlite_url: str
) -> None:
    result = runner.invoke(app, ARGS)
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.stdout
    assert "2024-08 … 2025-08" in result.stdout
    assert _orders(sqlite_url) == 1500
    assert "plans: 'Budget FY2025' and 'Reforecast Q2 FY2025' (active)" in result.stdout


def test_refuses_a_database_that_already_holds_data(runner: CliRunner, sqlite_url: str) -> None:
    assert runner.invoke(app, ARGS).exit_code == 0
    again = runner.invoke(app, ARGS)
    assert again.exit_code == 1
    assert "already holds data" in again.stderr
    assert _orders(sqlite_url) == 1500


def test_if_empty_leaves_a_non_empty_database_alone(runner: CliRunner, sqlite_url: str) -> None:
    assert runner.invoke(app, ARGS).exit_code == 0
    again = runner.invoke(app, [*ARGS, "--if-empty", "--seed", "10"])
    assert again.exit_code == 0
    assert "demo company not generated" in again.stdout
    assert _orders(sqlite_url) == 1500


def test_rejects_a_month_that_does_not_exist(runner: CliRunner, sqlite_url: str) -> None:
    result = runner.invoke(app, ["demo", "--end-month", "2025-13"])
    assert result.exit_code == 1
    assert "--end-month '2025-13' is not a month like 2025-08" in result.stderr
    assert "Traceback" not in result.output
    del sqlite_url
