"""`python -m bench.hostile`: the hostile-input and backup drills of docs/reliability.md.

Starts `execdash serve` on loopback over a small demo company, then, each bounded in count and
time: an anonymous 150 MB POST, 80 concurrent wrong logins, 20 slowloris sockets, an XLSX
shared-strings bomb and a JSON-Lines-in-.json file through `execdash import --dry-run`, and a
backup while an editor PATCHes 10 times a second. Prints one line per figure.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).parents[1]
PASSWORD = "correct horse battery"  # noqa: S105 - the drill account on a throwaway database
MB = 1 << 20


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "EXECDASH_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}


def _execdash(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from execdash.cli import main; sys.argv[0] = 'execdash'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=_env(url), capture_output=True, text=True
    )


def _rss(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of `pid` in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _demo(folder: Path) -> tuple[str, str]:
    """A demo database with an editor; returns (database URL, the editor's token)."""
    from execdash.api.accounts import add_user, create_token
    from execdash.db import migrate
    from execdash.db.engine import create_engine
    from execdash.demo import generate

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    generate(
        engine, seed=7, orders=20_000, months=24, end_month=dt.date(2026, 10, 1), progress=False
    )
    with engine.begin() as conn:
        add_user(conn, "eddie", PASSWORD, "editor")
        token = create_token(conn, "eddie")
    engine.dispose()
    return url, token


class Server:
    """`execdash serve` in a child process on a free loopback port."""

    def __init__(self, url: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        code = "import sys; from execdash.cli import main; sys.argv[0] = 'execdash'; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--port", str(self.port)],
            env=_env(url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)

    def rss(self) -> tuple[float, float]:
        return _rss(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def anonymous_big_post(server: Server) -> str:
    before = server.rss()[0]
    started = time.monotonic()
    sent = 0
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            b"POST /api/v1/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (150 * MB)
        )
        chunk = b" " * MB
        try:
            for _ in range(150):
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(5)
        try:
            answer = sock.recv(200).split(b"\r\n", 1)[0].decode()
        except (TimeoutError, ConnectionResetError):
            answer = "(reset)"
    took = time.monotonic() - started
    after, peak = server.rss()
    return (
        f"anonymous 150 MB POST /api/v1/alerts: {answer!r} after {took:.2f} s, "
        f"{sent / MB:.0f} MB accepted by the socket; RSS {before:.0f} -> {after:.0f} MiB "
        f"(peak {peak:.0f})"
    )


PROBE = """
import sys, time, http.client
host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
end = time.monotonic() + seconds
while time.monotonic() < end:
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/api/health")
    conn.getresponse().read()
    conn.close()
    print(time.monotonic() - started, flush=True)
    time.sleep(0.05)
"""


def bad_logins(server: Server) -> str:
    before = server.rss()[0]
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, "127.0.0.1", str(server.port), "20"],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)

    def attempt(n: int) -> int:
        return httpx.post(
            server.base + "/api/v1/auth/login",
            json={"username": f"user{n % 8}", "password": "wrong password"},
            timeout=60,
        ).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(80) as pool:
        statuses = list(pool.map(attempt, range(80)))
    took = time.monotonic() - started
    out, _ = probe.communicate(timeout=60)
    health = [float(line) for line in out.split()]
    after, peak = server.rss()
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    p99 = statistics.quantiles(health, n=100)[98] * 1000
    return (
        f"80 concurrent wrong logins in {took:.1f} s: {counts}; RSS {before:.0f} -> {after:.0f} "
        f"MiB (peak {peak:.0f}); health (own process, 20 s around it) p50 "
        f"{statistics.median(health) * 1000:.0f} ms, p99 {p99:.0f} ms over {len(health)} probes"
    )


def slowloris(server: Server) -> str:
    socks = []
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        socks.append(sock)
    started = time.monotonic()
    closed: list[float] = []
    for sock in socks:
        sock.settimeout(30)
        try:
            while sock.recv(4096):
                pass
        except (TimeoutError, ConnectionResetError):
            pass
        closed.append(time.monotonic() - started)
        sock.close()
    return (
        f"20 slowloris sockets: all closed after {min(closed):.1f}-{max(closed):.1f} s "
        f"(header timeout 10 s)"
    )


def _child_peak(args: list[str], url: str) -> tuple[float, str]:
    """Peak RSS (MiB) of one `execdash` command alone (GNU time), and its last output lines."""
    code = "import sys; from execdash.cli import main; sys.argv[0] = 'execdash'; main()"
    result = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK %M", sys.executable, "-c", code, *args],
        env=_env(url),
        capture_output=True,
        text=True,
    )
    lines = (result.stdout + result.stderr).strip().splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("PEAK "))
    last = [line.strip()[:140] for line in lines if not line.startswith("PEAK ")][-2:]
    return peak / 1024, " / ".join(last)


def xlsx_bomb(folder: Path, url: str) -> str:
    path = folder / "customers.xlsx"
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", f"<workbook {ns}/>")
        archive.writestr(
            "xl/sharedStrings.xml",
            f"<sst {ns}>" + "<si><t>customer</t></si>" * 8_000_000 + "</sst>",
        )
    size = path.stat().st_size / 1024
    peak, line = _child_peak(["import", "--dry-run", str(path)], url)
    return f"XLSX shared-strings bomb ({size:.0f} KB file): peak RSS {peak:.0f} MiB; {line}"


def json_lines_in_json(folder: Path, url: str) -> str:
    path = folder / "expenses.json"
    with path.open("w") as out:
        for n in range(1_000_000):
            out.write(f'{{"cost": 12.5, "date": "2025-0{1 + n % 9}-15"}}\n')
    size = path.stat().st_size / MB
    peak, line = _child_peak(["import", "--dry-run", str(path)], url)
    return f"JSON Lines in a .json file ({size:.0f} MB): peak RSS {peak:.0f} MiB; {line}"


def backup_under_writes(server: Server, folder: Path, url: str, token: str) -> str:
    stop = threading.Event()
    acked = [0]

    def editor() -> None:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            while not stop.is_set():
                answer = client.patch(
                    "/api/v1/alerts/1",
                    json={"title": f"edit {acked[0]}"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if answer.status_code == 200:
                    acked[0] += 1
                time.sleep(0.1)

    thread = threading.Thread(target=editor)
    thread.start()
    time.sleep(1)
    times = []
    try:
        for n in range(3):
            started = time.monotonic()
            result = _execdash(url, "backup", str(folder / f"backup-{n}.db"))
            times.append(time.monotonic() - started)
            if result.returncode != 0:
                return f"backup failed: {result.stderr.strip()[-200:]}"
    finally:
        stop.set()
        thread.join()
    size = (folder / "backup-0.db").stat().st_size / MB
    return (
        f"execdash backup of {size:.0f} MB under 10 PATCH/s: {min(times):.2f}-{max(times):.2f} s "
        f"over 3 runs ({acked[0]} PATCHes acknowledged meanwhile)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="execdash-hostile-") as name:
        folder = Path(name)
        url, token = _demo(folder)
        server = Server(url)
        try:
            print(f"server RSS at start: {server.rss()[0]:.0f} MiB", flush=True)
            print(anonymous_big_post(server), flush=True)
            print(bad_logins(server), flush=True)
            print(slowloris(server), flush=True)
            print(backup_under_writes(server, folder, url, token), flush=True)
        finally:
            server.stop()
        print(xlsx_bomb(folder, url), flush=True)
        print(json_lines_in_json(folder, url), flush=True)


if __name__ == "__main__":
    main()
