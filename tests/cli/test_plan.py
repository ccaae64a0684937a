"""`execdash plan import / list / show / activate`: versions, percent rules, clear failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from execdash.cli import app


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> CliRunner:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_import_list_show_and_activate(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "budget.csv"
    plan.write_text("kpi,month,target\nrevenue,2026-01,1000\nuptime,2026-01,99.5\n")
    first = runner.invoke(app, ["plan", "import", str(plan), "--name", "Budget", "--activate"])
    assert first.exit_code == 0, first.output
    assert "note: budget.csv: uptime targets read as percent, divided by 100" in first.stdout
    assert "imported 2 targets as plan 'Budget' version 1 (id 1, active)" in first.stdout
    second = runner.invoke(app, ["plan", "import", str(plan), "--name", "Budget"])
    assert "version 2 (id 2)" in second.stdout
    listed = runner.invoke(app, ["plan", "list"]).stdout
    assert "* │ 1  │ Budget │ 1" in listed
    shown = runner.invoke(app, ["plan", "show", "Budget", "--version", "1"]).stdout
    assert "Budget version 1 (active)" in shown
    assert "99.50%" in shown
    activated = runner.invoke(app, ["plan", "activate", "Budget"])
    assert activated.stdout.strip() == "active plan: 'Budget' version 2 (id 2)"
    missing = runner.invoke(app, ["plan", "activate", "Nope"])
    assert missing.exit_code == 1
    assert "no plan 'Nope'" in missing.output


def test_a_bad_file_writes_nothing_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "budget.csv"
    plan.write_text("kpi,month,target\nrevenue,2026-01,1000\nrevenue,Jan 2026,5\n")
    result = runner.invoke(app, ["plan", "import", str(plan), "--name", "Budget"])
    assert result.exit_code == 1
    assert "budget.csv row 3 column month: value 'Jan 2026' is not a month" in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert "no plans yet" in runner.invoke(app, ["plan", "list"]).stdout
