"""Start a throwaway PostgreSQL server (initdb + pg_ctl) on a free loopback port for tests."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl/postgres, or None when PostgreSQL is not installed."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; CI is root, so drop to the `postgres` account."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


TEST_OPTIONS = "-F -c fsync=off -c full_page_writes=off"
"""Throwaway settings for tests: durability off, since the data dies with the test run."""


@contextmanager
def running_postgres(bindir: Path, settings: str = TEST_OPTIONS) -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh server's `postgres` database; stop and delete after.

    `settings` are extra `postgres` command-line options (the benchmark passes durable ones).
    """
    root = Path(tempfile.mkdtemp(prefix="execdash-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            _as_postgres_user(
                [str(bindir / "initdb"), "-D", str(data), "-U", "execdash", "--auth=trust",
                 "-E", "UTF8", "--locale=C"]
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        options = f"-h 127.0.0.1 -p {port} -k {root} {settings}"
        subprocess.run(
            _as_postgres_user(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
                 "start"]
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        yield f"postgresql+psycopg://execdash@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
