"""The assembled `execdash` command: help is quick because nothing heavy is imported for it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "alembic", "argon2", "fastapi", "uvicorn", "execdash.ingest")

PROBE = """
import json, sys
sys.argv = ["execdash", *json.loads(sys.argv[1])]
from execdash.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules)), file=sys.stderr)
"""


def _modules_loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "Usage" in done.stdout
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args", [("--help",), ("db", "--help"), ("import", "--help"), ("users", "add", "--help")]
)
def test_help_loads_no_database_or_web_stack(args: tuple[str, ...]) -> None:
    loaded = _modules_loaded(*args)
    assert not {m for m in loaded for h in HEAVY if m == h or m.startswith(h + ".")}
