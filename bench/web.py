"""Measure the dashboard page in headless Chromium on localhost against the demo company.

Run: `make bench` (after the API benchmark) or `.venv/bin/python -m bench.web`. Prints, as
median (min–max) of several runs: time to the first KPI tile (and how much of it the dashboard
API call took), time until everything is rendered (sparklines included), the cumulative layout
shift of a cold load at 1440 and 390 px, and the time from a range or granularity switch to the
new view's numbers on screen, both uncached (a view the server has not answered yet: every run
uses its own as-of month) and cached (switching back and forth: the browser revalidates, the
server answers 304); plus the gzipped size of JS and CSS.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

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

# Cumulative layout shift as Chromium reports it (layout-shift entries, buffered from the start of
# the load): the largest session window (shifts < 1 s apart, window < 5 s), input-led ones left out.
CLS = """() => new Promise((resolve) => {
  const entries = [];
  new PerformanceObserver((list) => entries.push(...list.getEntries()))
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => {
    let worst = 0, current = 0, first = 0, last = 0;
    for (const e of entries.filter((e) => !e.hadRecentInput)) {
      if (current && e.startTime - last < 1000 && e.startTime - first < 5000) current += e.value;
      else { current = e.value; first = e.startTime; }
      last = e.startTime;
      worst = Math.max(worst, current);
    }
    resolve(worst);
  }, 200);
})"""
LOADED = "body[data-loaded='{key}']:not([aria-busy])"
VIEWPORTS = {1440: 900, 390: 844}
TIMEOUT_MS = 180_000  # a loaded machine is slow, not broken: the figures say how slow

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
    """Raw and gzipped bytes of every JS and CSS file the dashboard pages load (not /docs)."""
    files = [
        f for f in (*STATIC.rglob("*.js"), *STATIC.rglob("*.css")) if "swagger-ui" not in f.parts
    ]
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return raw, zipped


def spread(values: list[float]) -> str:
    """`median (min–max)` of `values`."""
    return f"{statistics.median(values):6.0f} ms ({min(values):.0f}–{max(values):.0f})"


def as_of_months(count: int, last: dt.date) -> list[str]:
    """`count` distinct months ending at `last`, newest first: one fresh view per run."""
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def measure(browser: Any, base: str, as_of: str) -> dict[str, float]:
    """One cold load of the overview at 1440 px, its switches, and a cold load at 390 px."""
    times: dict[str, float] = {}
    query = f"range=12m&granularity=month&as_of={as_of}"
    page = browser.new_page(viewport={"width": 1440, "height": VIEWPORTS[1440]})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/?{query}", wait_until="commit")
    times["first"] = page.evaluate(FIRST_TILE)
    page.wait_for_selector(LOADED.format(key=f"12m|month|{as_of}"))
    times["full"] = page.evaluate("performance.now()")
    times["api"] = page.evaluate(API_TIME)
    page.wait_for_timeout(300)
    times["cls1440"] = page.evaluate(CLS)
    six, twelve = f"6m|month|{as_of}", f"12m|month|{as_of}"
    times["range_uncached"] = page.evaluate(SWITCH, ["#ctl-range", "6m", six])
    page.wait_for_selector(LOADED.format(key=six))
    back = page.evaluate(SWITCH, ["#ctl-range", "12m", twelve])
    page.wait_for_selector(LOADED.format(key=twelve))
    again = page.evaluate(SWITCH, ["#ctl-range", "6m", six])
    page.wait_for_selector(LOADED.format(key=six))
    times["range_cached"] = (back + again) / 2
    quarter = "input[name=granularity][value=quarter]"
    times["granularity_uncached"] = page.evaluate(SWITCH, [quarter, "", f"6m|quarter|{as_of}"])
    page.wait_for_selector(LOADED.format(key=f"6m|quarter|{as_of}"))
    if "--verbose" in sys.argv:
        for entry in page.evaluate(RESOURCES):
            print(entry)
    page.close()
    phone = browser.new_page(viewport={"width": 390, "height": VIEWPORTS[390]})
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(f"{base}/?{query}", wait_until="commit")
    phone.wait_for_selector(LOADED.format(key=twelve))
    phone.wait_for_timeout(300)
    times["cls390"] = phone.evaluate(CLS)
    phone.close()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = create_engine(url)
        migrate.upgrade(engine)
        end = dt.date(2026, 10, 1)
        generate(engine, seed=20251, orders=20_000, months=36, end_month=end, progress=False)
        engine.dispose()
        runs: list[dict[str, float]] = []
        with serving(Settings(database_url=url)) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox"])  # fmt: skip
            for run, as_of in enumerate(as_of_months(RUNS + 1, end)):
                times = measure(browser, base, as_of)
                if run:  # the first run warms caches and is not counted
                    runs.append(times)
            browser.close()
    raw, zipped = asset_sizes()
    column = {key: [r[key] for r in runs] for key in runs[0]}
    rows = [
        ("overview first KPI tile visible", "first", "(budget 500)"),
        ("overview everything rendered", "full", "(budget 1000)"),
        ("  of which GET /api/v1/dashboard", "api", "(server time)"),
        ("range switch, uncached answer", "range_uncached", "(budget 150)"),
        ("range switch, cached answer", "range_cached", "(budget 150; 304s)"),
        ("granularity switch, uncached", "granularity_uncached", "(budget 150)"),
    ]
    load = os.getloadavg()
    print(f"overview, {len(runs)} runs: median (min–max); load average {load[0]:.1f} "
          f"on {os.cpu_count()} CPUs at the end")  # fmt: skip
    for label, key, note in rows:
        print(f"{label + ':':34}{spread(column[key])} {note}")
    for width in VIEWPORTS:
        values = column[f"cls{width}"]
        print(f"{f'layout shift (CLS) at {width} px:':34}{statistics.median(values):6.3f}"
              f"    ({min(values):.3f}–{max(values):.3f}) (budget 0.1)")  # fmt: skip
    print(f"JS + CSS: {raw / 1024:.0f} KiB raw, {zipped / 1024:.0f} KiB gzipped")


if __name__ == "__main__":
    main()
