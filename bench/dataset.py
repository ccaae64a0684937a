"""The benchmark database: generated once per size into bench/.cache, copied fresh for each run."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from execdash.db import migrate
from execdash.db.engine import create_engine
from execdash.demo import generate

CACHE = Path(__file__).parent / ".cache"
END_MONTH = dt.date(2026, 10, 1)
MONTHS = 36
SEED = 20251


@dataclass(frozen=True)
class Dataset:
    """A ready SQLite file and how fast it was generated (figures from the run that made it)."""

    path: Path
    orders: int
    generation: dict[str, float]
    cached: bool


def _pristine(orders: int) -> Path:
    return CACHE / f"demo-{orders}.db"


def ensure(orders: int) -> Dataset:
    """Generate the demo company with `orders` orders unless the cache already holds it."""
    CACHE.mkdir(exist_ok=True)
    path = _pristine(orders)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return Dataset(path, orders, json.loads(meta.read_text()), cached=True)
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    figures = generate_into(engine, orders)
    engine.dispose()
    meta.write_text(json.dumps(figures, indent=2))
    return Dataset(path, orders, figures, cached=False)


def generate_into(engine: Engine, orders: int) -> dict[str, float]:
    """Migrate an empty database and generate the benchmark company into it; return the timings."""
    migrate.upgrade(engine)
    started = time.perf_counter()
    summary = generate(
        engine, seed=SEED, orders=orders, months=MONTHS, end_month=END_MONTH, progress=False
    )
    seconds = time.perf_counter() - started
    rows = sum(summary.rows.values())
    return {
        "seconds": seconds,
        "rows": float(rows),
        "rows_per_s": rows / seconds,
        "orders": float(summary.rows["orders"]),
        "order_rows_per_s": float(summary.order_rows_per_second),
    }


def working_copy(dataset: Dataset) -> Path:
    """A scratch copy the run may write to, migrated to the current schema (a cached file may
    predate a migration), so the cached file stays as generated."""
    target = CACHE / f"work-{dataset.orders}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(dataset.path, target)
    engine = create_engine(f"sqlite:///{target}")
    migrate.upgrade(engine)
    engine.dispose()
    return target
