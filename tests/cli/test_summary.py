"""`execdash summary` prints the overview's written summary and answers questions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from execdash.api.routes import risks as risk_routes
from execdash.cli import app
from tests.insights.test_summary import DEMO_TEXT


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, demo_engine: Engine) -> CliRunner:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", str(demo_engine.url))
    monkeypatch.setattr(risk_routes, "today", lambda: dt.date(2026, 11, 30))
    return CliRunner()


def test_prints_the_same_sentences_as_the_api(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summary", "--range", "12m", "--as-of", "2026-10"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2025-11 … 2026-10 compared with the 12 months before"
    assert [line[2:] for line in lines if line.startswith("- ")] == DEMO_TEXT
    assert "Act on" in result.stdout


def test_answers_a_question_with_its_drivers(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summary", "--as-of", "2026-10", "--ask", "why did revenue move?"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(DEMO_TEXT[0])
    assert "- Food & Beverage: +£676K (industry)" in result.stdout


def test_a_bad_month_is_named_without_a_traceback(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summary", "--as-of", "2026-13"])
    assert result.exit_code == 2
    assert "--as-of '2026-13' is not valid" in result.stderr
    assert "Traceback" not in result.output


def test_compares_with_last_year_when_asked(runner: CliRunner) -> None:
    args = ["summary", "--range", "6m", "--as-of", "2026-10", "--compare", "last_year"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == "2026-05 … 2026-10 compared with the same period last year, 2025-05 … 2025-10"


def test_a_bad_comparison_is_named_without_a_traceback(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summary", "--compare", "budget"])
    assert result.exit_code == 2
    assert "--compare 'budget' is not valid; expected one of previous, last_year" in result.stderr
    assert "Traceback" not in result.output


def test_compare_plan_needs_an_active_plan_and_then_says_above_or_below_plan(
    runner: CliRunner, demo_engine: Engine
) -> None:
    from execdash.demo.plans import write_plans

    args = ["summary", "--range", "ytd", "--as-of", "2026-10", "--compare", "plan"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "--compare plan needs an active plan and none is active" in refused.stderr
    assert "Traceback" not in refused.output
    write_plans(demo_engine, dt.date(2026, 10, 1))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "2026-01 … 2026-10 compared with the active plan"
    assert "plan at " in result.stdout
