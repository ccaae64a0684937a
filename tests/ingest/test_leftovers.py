"""Spill files and upload folders of a killed import are removed by the next import or start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from execdash.ingest import run_import
from execdash.ingest.leftovers import LEGACY_AGE_SECONDS, sweep

SRC = Path(__file__).parents[2] / "src"

IMPORTER = """
import sys
from pathlib import Path
from execdash.db.engine import create_engine
from execdash.ingest import store
store.RowStore.__init__.__defaults__ = (0,)  # spill from the first chunk on
from execdash.ingest import run_import
run_import(create_engine(sys.argv[1]), [Path(sys.argv[2])])
"""


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _expenses(path: Path, rows: int) -> Path:
    with path.open("w") as out:
        out.write("cost,date\n")
        for n in range(rows):
            out.write(f"{n % 97}.5,2025-0{1 + n % 9}-1{n % 9}\n")
    return path


def test_a_spill_file_left_by_kill_9_goes_at_the_next_import(
    engine: Engine, tmp_path: Path, temp_dir: Path
) -> None:
    big = _expenses(tmp_path / "expenses.csv", 400_000)
    env = {**os.environ, "TMPDIR": str(temp_dir), "PYTHONPATH": str(SRC)}
    child = subprocess.Popen([sys.executable, "-c", IMPORTER, str(engine.url), str(big)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not list(temp_dir.glob("execdash-import-*.spill")):
            assert child.poll() is None, "the import ended before it spilled"
            assert time.monotonic() < deadline, "no spill file within 60 s"
            time.sleep(0.02)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    left = list(temp_dir.glob("execdash-import-*.spill"))
    assert len(left) == 1
    assert left[0].name.startswith(f"execdash-import-{child.pid}-")

    (tmp_path / "small").mkdir()
    report = run_import(engine, [_expenses(tmp_path / "small" / "expenses.csv", 3)], dry_run=True)
    assert report.ok
    assert list(temp_dir.glob("execdash-import-*")) == []


def test_sweep_keeps_what_live_processes_own(temp_dir: Path) -> None:
    mine = temp_dir / f"execdash-import-{os.getpid()}-abc.spill"
    mine.write_bytes(b"x" * 10)
    upload = temp_dir / f"execdash-upload-{os.getpid()}-xyz"
    upload.mkdir()
    dead_pid = _dead_pid()
    gone = temp_dir / f"execdash-upload-{dead_pid}-q"
    gone.mkdir()
    (gone / "orders.csv").write_bytes(b"y" * 100)
    legacy_old = temp_dir / "execdash-import-k2j3.spill"
    legacy_old.write_bytes(b"z" * 1000)
    old = time.time() - LEGACY_AGE_SECONDS - 60
    os.utime(legacy_old, (old, old))
    legacy_new = temp_dir / "execdash-import-n3w.spill"
    legacy_new.write_bytes(b"z")
    unrelated = temp_dir / "something-else.spill"
    unrelated.write_bytes(b"keep")

    swept = sweep()

    assert (swept.entries, swept.bytes) == (2, 1100)
    assert mine.exists()
    assert upload.exists()
    assert legacy_new.exists()
    assert unrelated.exists()
    assert not gone.exists()
    assert not legacy_old.exists()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
