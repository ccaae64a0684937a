"""Measure the dashboard page in headless Chromium on localhost against the demo company.

Run: `make bench` (after the API benchmark) or `.venv/bin/python -m bench.web`. Prints, as
medians of several runs: time to the first KPI tile (and how much of it the dashboard API call
took), time until everything is rendered (sparklines included), and time for a range or
granularity switch to put the new view's numbers on screen; plus the gzipped size of JS and CSS.
"""

from __future__ import annotations

import datetime as dt
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.live_server import serving  # noqa: E402

from execdash.config import Settings  # noqa: E402
from execdash.db import migrate  # noqa: E402
from execdash.db.engine import create_engine  # noqa: E402
from execdash.demo import generate  # noqa: E402

RUNS = 7
STATIC = ROOT / "src/execdash/web/static"

SWITCH = """async ([selector, value, key]) => {
  const t0 = performance.now();
  const control = document.querySelector(selector);
  if (control.type === "radio") control.checked = true; else control.value = value;
  control.dispatchEvent(new Event("change", { bubbles: true }));
  while (document.body.dataset.painted !== key) {
    await new Promise((r) => requestAnimationFrame(r));
  }
  return performance.now() - t0;
}"""

API_TIME = """() => performance.getEntriesByType("resource")
  .filter((e) => e.name.includes("/api/v1/dashboard"))[0].duration"""

RESOURCES = """() => performance.getEntriesByType("resource").map((e) =>
  `${Math.round(e.startTime)}–${Math.round(e.responseEnd)} ms `
  + e.name.replace(location.origin, ""))"""

FIRST_TILE = """() => new Promise((resolve) => {
  const done = () => resolve(performance.now());
  if (document.querySelector("article.tile")) return done();
  new MutationObserver((_, obs) => {
    if (document.querySelector("article.tile")) { obs.disconnect(); done(); }
  }).observe(document.documentElement, { childList: true, subtree: true });
})"""


def asset_sizes() -> tuple[int, int]:
    """Raw and gzipped bytes of every JS and CSS file the pages load."""
    files = [*STATIC.rglob("*.js"), *STATIC.rglob("*.css")]
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return raw, zipped


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = create_engine(url)
        migrate.upgrade(engine)
        generate(engine, seed=20251, orders=20_000, months=36, end_month=dt.date(2026, 10, 1),
                 progress=False)  # fmt: skip
        engine.dispose()
        first, full, switch_range, switch_gran, api = [], [], [], [], []
        with serving(Settings(database_url=url)) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox"])  # fmt: skip
            for run in range(RUNS + 1):
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(base + "/?range=12m&granularity=month", wait_until="commit")
                tile_at = page.evaluate(FIRST_TILE)
                page.wait_for_selector("body[data-loaded]:not([aria-busy])")
                loaded_at = page.evaluate("performance.now()")
                api_ms = page.evaluate(API_TIME)
                r = page.evaluate(SWITCH, ["#ctl-range", "6m", "6m|month|"])
                quarter = "input[name=granularity][value=quarter]"
                g = page.evaluate(SWITCH, [quarter, "", "6m|quarter|"])
                if run:  # the first run warms caches and is not counted
                    first.append(tile_at)
                    full.append(loaded_at)
                    switch_range.append(r)
                    switch_gran.append(g)
                    api.append(api_ms)
                if "--verbose" in sys.argv and run == RUNS:
                    for entry in page.evaluate(RESOURCES):
                        print(entry)
                page.close()
            browser.close()
    raw, zipped = asset_sizes()
    rows = [
        ("overview first KPI tile visible", first, "(budget 500)"),
        ("overview everything rendered", full, "(budget 1000)"),
        ("  of which GET /api/v1/dashboard", api, "(server time)"),
        ("range switch, new numbers", switch_range, "(budget 150)"),
        ("granularity switch, new numbers", switch_gran, "(budget 150)"),
    ]
    for label, values, note in rows:
        print(f"{label + ':':34}{statistics.median(values):6.0f} ms {note}")
    print(f"JS + CSS: {raw / 1024:.0f} KiB raw, {zipped / 1024:.0f} KiB gzipped")


if __name__ == "__main__":
    main()
