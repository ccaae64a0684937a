"""`execdash alerts evaluate` and `execdash alerts rules`."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from execdash.alerts import store
from execdash.cli import alerts as alerts_cli
from execdash.cli import app
from execdash.db import schema as s


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> CliRunner:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", str(engine.url))
    with engine.begin() as conn:
        conn.execute(s.revenue_trend.insert().values(period="2026-10", recognized=10.0))
        store.insert_rule(
            conn,
            {
                "name": "Floor",
                "metric": "revenue",
                "kind": "threshold",
                "direction": "below",
                "value": 100.0,
                "severity": "low",
            },
            "tester",
        )
    return CliRunner()


def test_evaluate_prints_what_each_rule_did(runner: CliRunner) -> None:
    result = runner.invoke(app, ["alerts", "evaluate"])
    assert result.exit_code == 0, result.output
    assert "fired" in result.output
    assert "2026-10" in result.output
    again = runner.invoke(app, ["alerts", "evaluate"])
    assert "firing" in again.output


def test_rules_lists_each_rule_in_words(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts_cli.out, "width", 200)  # a wide terminal: no cell wraps
    runner.invoke(app, ["alerts", "evaluate"])
    result = runner.invoke(app, ["alerts", "rules"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Fires when Revenue is below £100 in a month." in result.output
    assert "firing" in result.output
