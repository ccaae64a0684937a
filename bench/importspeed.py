"""Import speed against the plain ways of loading the same rows, in one run, on one database.

The same number of new orders (existing customers, the latest two months, explicit ids above
the largest) are appended to the same indexed `orders` table three ways, each on its own file:

- `execdash import` in-process (`run_import`): read, validate every value, load, refresh the
  rollups and materialised KPIs, log the import, commit;
- the `sqlite3` command-line shell's `.import --csv --skip 1` (no validation, no rollups);
- Python's `sqlite3` `executemany` of the parsed tuples in one transaction (no validation).

Both references run with execdash's connection settings (`synchronous=NORMAL`, foreign keys
on), so the comparison is the work, not the durability. Repeated `rounds` times; the peak RSS
of a separate `execdash import` process of a 1,000,000-row file, and the start-up time of
`execdash --help`, are measured too.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from execdash.db.engine import create_engine
from execdash.ingest import run_import

EXECDASH = str(Path(sys.executable).parent / "execdash")
PRAGMAS = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"


def _facts(path: Path) -> tuple[int, list[int], dt.date]:
    db = sqlite3.connect(path)
    try:
        top = int(db.execute("SELECT max(id) FROM orders").fetchone()[0] or 0)
        customers = [c for (c,) in db.execute("SELECT id FROM customers LIMIT 5000")]
        last = dt.date.fromisoformat(
            str(db.execute("SELECT max(order_date) FROM orders").fetchone()[0])[:10]
        )
    finally:
        db.close()
    return top, customers, last


def write_orders(path: Path, first_id: int, rows: int, customers: list[int], last: dt.date) -> None:
    """A CSV with header of `rows` orders with ids from `first_id`, dated in the last two months."""
    first = (last.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    span = (last - first).days
    rng = random.Random(first_id)  # noqa: S311 - test data
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "customer_id", "amount", "profit", "order_date", "type"])
        for i in range(rows):
            amount = round(rng.uniform(100, 5000), 2)
            out.writerow(
                [
                    first_id + i,
                    rng.choice(customers),
                    amount,
                    round(amount * 0.3, 2),
                    (first + dt.timedelta(days=rng.randrange(span + 1))).isoformat(),
                    rng.choice(("booked", "recognized", "subscription", "recurring")),
                ]
            )


def _execdash(db: Path, csv_path: Path) -> float:
    engine = create_engine(f"sqlite:///{db}")
    started = time.perf_counter()
    report = run_import(engine, [csv_path], table="orders")
    seconds = time.perf_counter() - started
    engine.dispose()
    if not report.ok:
        raise RuntimeError(f"benchmark import failed: {report}")
    return seconds


def _cli(db: Path, csv_path: Path) -> float:
    script = f"{PRAGMAS}\n.import --csv --skip 1 {csv_path} orders\n"
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=script, text=True, check=True)
    return time.perf_counter() - started


def _executemany(db: Path, csv_path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(PRAGMAS)
    with csv_path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [(int(i), int(c), float(a), float(p), d, k) for i, c, a, p, d, k in reader]
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


RSS_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)
"""Runs a command and prints its peak RSS (KiB). A process started straight from this benchmark
inherits its high-water mark: Linux keeps `ru_maxrss` across `exec`, so a child forked from a
parent holding 175 MB reports 175 MB whatever it used. Started from this small wrapper, the
import's figure is its own."""


def _peak_rss_mb(db: Path, csv_path: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `execdash import` of `csv_path` as its own process."""
    env = {**os.environ, "EXECDASH_DATABASE_URL": f"sqlite:///{db}"}
    command = [EXECDASH, "import", str(csv_path), "--table", "orders", "--nice", "0"]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RSS_WRAPPER, *command], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"execdash import failed: {done.stderr!r}")
    return seconds, int(done.stdout.splitlines()[-1]) / 1024


def startup_seconds(samples: int = 7) -> dict[str, float]:
    """Median, min and max wall-clock seconds of `execdash --help`."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        subprocess.run([EXECDASH, "--help"], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(
    db: Path, scratch: Path, rows: int = 200_000, rounds: int = 5, big: int = 1_000_000
) -> dict[str, object]:
    """Rows/s of the three ways over `rounds` rounds, the 1M-row peak RSS and the CLI start-up."""
    scratch.mkdir(parents=True, exist_ok=True)
    top, customers, last = _facts(db)
    ways = {"execdash": _execdash, "sqlite3_cli": _cli, "executemany": _executemany}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    next_id = top + 1
    for _ in range(rounds):
        for name, load in ways.items():
            path = scratch / f"orders-{name}.csv"
            write_orders(path, next_id, rows, customers, last)
            next_id += rows
            seconds[name].append(load(db, path))
            path.unlink()
    big_file = scratch / "orders-big.csv"
    write_orders(big_file, next_id, big, customers, last)
    big_seconds, rss = _peak_rss_mb(db, big_file)
    big_file.unlink()
    out: dict[str, object] = {"rows": rows, "rounds": rounds}
    for name, values in seconds.items():
        out[name] = {
            "seconds": _spread(values),
            "rows_per_s": _spread([rows / s for s in values]),
        }
    cli = statistics.median(seconds["sqlite3_cli"])
    many = statistics.median(seconds["executemany"])
    mine = seconds["execdash"]
    out["ratio_to_cli"] = _spread([cli / s for s in mine])
    out["ratio_to_executemany"] = _spread([many / s for s in mine])
    out["import_1m"] = {
        "seconds": big_seconds,
        "rows_per_s": 1_000_000 / big_seconds,
        "peak_rss_mb": rss,
    }
    out["cli_help_seconds"] = startup_seconds()
    return out


if __name__ == "__main__":
    import json

    from bench import dataset

    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    work = dataset.working_copy(dataset.ensure(orders))
    try:
        print(json.dumps(measure(work, dataset.CACHE / "import", rounds=3), indent=2))
    finally:
        shutil.rmtree(dataset.CACHE / "import", ignore_errors=True)
