"""The `import`, `export`, `backup` and `imports` commands: messages and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from execdash.cli import app
from execdash.cli.ingest import nice_increment
from tests.ingest.conftest import write

runner = CliRunner()


@pytest.fixture
def env(sqlite_url: str) -> dict[str, str]:
    return {"EXECDASH_DATABASE_URL": sqlite_url, "EXECDASH_USER": "finance-bot"}


def test_import_prints_rows_and_percent_note_and_exits_zero(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = write(
        tmp_path, "pipeline_winrate.csv", "period,win_rate_pct,sales_cycle_days\n2025-01,42,30\n"
    )
    result = runner.invoke(app, ["import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "note: pipeline_winrate.win_rate_pct: read as percent, divided by 100" in result.stdout
    assert "pipeline_winrate.csv: 1 rows imported into pipeline_winrate" in result.stdout


def test_failed_import_lists_problems_and_exits_one(env: dict[str, str], tmp_path: Path) -> None:
    path = write(tmp_path, "costs.csv", "id,cost,date\n1,-5,2025-01-01\n")
    result = runner.invoke(app, ["import", str(path), "--table", "expenses"], env=env)
    assert result.exit_code == 1
    assert "costs.csv row 2 column cost: value '-5' is negative" in result.stderr
    assert "import failed with 1 problem(s); nothing was written" in result.stderr


def test_bad_mode_and_bad_map_are_refused(env: dict[str, str], tmp_path: Path) -> None:
    path = write(tmp_path, "expenses.csv", "id,cost,date\n")
    bad_mode = runner.invoke(app, ["import", str(path), "--mode", "merge"], env=env)
    assert bad_mode.exit_code == 1
    assert "--mode 'merge' is not one of append, upsert, replace" in bad_mode.stderr
    bad_map = runner.invoke(app, ["import", str(path), "--map", "cost"], env=env)
    assert bad_map.exit_code == 1
    assert "--map 'cost' is not of the form old=new" in bad_map.stderr


def test_dry_run_says_nothing_was_written(env: dict[str, str], tmp_path: Path) -> None:
    path = write(tmp_path, "expenses.csv", "id,cost,date\n1,5,2025-01-01\n")
    result = runner.invoke(app, ["import", str(path), "--dry-run"], env=env)
    assert result.exit_code == 0
    assert "validated (dry run, nothing written): 1 rows" in result.stdout
    listing = runner.invoke(app, ["imports"], env=env)
    assert "no imports yet" in listing.stdout


def test_imports_lists_the_log(env: dict[str, str], tmp_path: Path) -> None:
    path = write(tmp_path, "expenses.csv", "id,cost,date\n1,5,2025-01-01\n2,6,2025-01-02\n")
    assert runner.invoke(app, ["import", str(path), "--mode", "upsert"], env=env).exit_code == 0
    listing = runner.invoke(app, ["imports"], env={**env, "COLUMNS": "200"})
    assert listing.exit_code == 0
    line = next(row for row in listing.stdout.splitlines() if "expenses.csv" in row)
    for cell in ("expenses", " 2 ", "upsert", "finance-bot"):
        assert cell in line


def test_export_then_import_replace_round_trips(env: dict[str, str], tmp_path: Path) -> None:
    path = write(tmp_path, "customers.csv", "id,name\n1,Acme\n")
    assert runner.invoke(app, ["import", str(path)], env=env).exit_code == 0
    exported = runner.invoke(app, ["export", str(tmp_path / "out")], env=env)
    assert exported.exit_code == 0
    assert "from 34 tables" in exported.stdout
    assert (tmp_path / "out" / "customers.csv").read_text().splitlines()[1].startswith("1,Acme,")
    again = runner.invoke(app, ["import", str(tmp_path / "out"), "--mode", "replace"], env=env)
    assert again.exit_code == 0, again.output


def test_backup_writes_a_copy_and_postgres_gets_a_clear_message(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert runner.invoke(app, ["imports"], env=env).exit_code == 0  # creates the database
    result = runner.invoke(app, ["backup", str(tmp_path / "copy.db")], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "copy.db").stat().st_size > 0
    again = runner.invoke(app, ["backup", str(tmp_path / "copy.db")], env=env)
    assert again.exit_code == 1
    assert "already exists" in again.stderr


def test_an_import_lowers_its_own_cpu_priority_by_the_nice_setting(tmp_path: Path) -> None:
    """Batch work yields the CPU to a server on the same machine (`--nice`, default 10), as far
    as the OS allows: niceness stops at 19 (`nice -n 19 make mutate` runs this test there)."""
    code = (
        "import os; from execdash.cli.ingest import yield_cpu; "
        "before = os.nice(0); yield_cpu({n}); print(before, os.nice(0) - before)"
    )
    for increment in (10, 3, 0):
        done = subprocess.run(
            [sys.executable, "-c", code.format(n=increment)],
            capture_output=True,
            text=True,
            check=True,
        )
        before, lowered = map(int, done.stdout.split())
        assert lowered == min(increment, 19 - before)


def test_a_nice_setting_out_of_range_is_refused_naming_the_option(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = write(tmp_path, "expenses.csv", "id,cost,date\n")
    for bad in ("25", "-1", "low"):
        result = runner.invoke(app, ["import", str(path), "--nice", bad], env=env)
        assert result.exit_code == 1
        assert f"--nice {bad!r} is not 'auto' or a whole number from 0 to 19" in result.stderr


def test_auto_nice_lowers_priority_on_postgresql_only() -> None:
    assert nice_increment("auto", "postgresql") == 10
    assert nice_increment("AUTO", "sqlite") == 0
    assert nice_increment("7", "sqlite") == 7
