"""axes.js (ticks and their labels), words.js and download.js under Node, on hand-worked cases."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import require

JS = Path(__file__).parents[2] / "src/execdash/web/static/js"

# (values, unit, key, options) → every tick label of the axis, lowest first.
TICKS: list[tuple[list[float], str, str, dict[str, Any], list[str]]] = [
    # Telemetry consumption: one decimal, so no two ticks read "12 g".
    (
        [11.42, 12.3, 11.9],
        "grams",
        "",
        {},
        ["11.4 g", "11.6 g", "11.8 g", "12.0 g", "12.2 g", "12.4 g"],
    ),
    # Page visits: all in thousands, never "9,000" beside "21K".
    ([15_800, 18_800, 9_000], "count", "", {"zero": True}, ["0", "5K", "10K", "15K", "20K"]),
    ([0, 8], "count", "", {"zero": True}, ["0", "2", "4", "6", "8"]),
    ([0, 1_250], "count", "", {"zero": True}, ["0", "500", "1,000", "1,500"]),
    # Uptime: whole percentages in equal steps, capped at 100%.
    (
        [0.958, 0.996, 0.99],
        "ratio",
        "uptime",
        {"cap": 1},
        ["95%", "96%", "97%", "98%", "99%", "100%"],
    ),
    ([0.0071, 0.0275], "ratio", "doa", {}, ["0.5%", "1.0%", "1.5%", "2.0%", "2.5%", "3.0%"]),
    (
        [0, 1_250_000, 4_100_000],
        "currency",
        "",
        {"zero": True},
        ["£0", "£1M", "£2M", "£3M", "£4M", "£5M"],
    ),
    ([0, 1_250_000], "currency", "", {"zero": True}, ["£0", "£0.5M", "£1.0M", "£1.5M"]),
    ([0, 13.5], "currency", "", {"zero": True}, ["£0", "£5", "£10", "£15"]),
    ([0.78, 1.32], "ratio", "book_to_bill", {}, ["0.6×", "0.8×", "1.0×", "1.2×", "1.4×"]),
    ([0.17, 0.44], "score", "nps", {}, ["+10", "+20", "+30", "+40", "+50"]),
    ([3.81, 4.27], "score", "csat", {}, ["3.8", "3.9", "4.0", "4.1", "4.2", "4.3"]),
    ([145, 182], "hours", "", {"count": 3}, ["140 h", "160 h", "180 h", "200 h"]),
    # A cut axis (a waterfall of a margin) starts at its floor, not at zero.
    (
        [0, 0.36, 0.366],
        "ratio",
        "gm",
        {"zero": True, "min": 0.356},
        ["35.6%", "35.8%", "36.0%", "36.2%", "36.4%", "36.6%"],
    ),
    # Float noise is one value, drawn with a little room around it.
    ([0.3, 0.30000000000000004], "ratio", "", {}, ["26%", "28%", "30%", "32%", "34%"]),
]

SCRIPT = """
import { niceScale, tickFormatter } from %(axes)s;
import { humanLabel, humanName } from %(words)s;
import { toCsv, fileName } from %(download)s;
const cases = %(cases)s;
const ticks = cases.map(([values, unit, key, options]) => {
  const scale = niceScale(values, options);
  const label = tickFormatter(unit, key, scale);
  const out = [];
  for (let i = 0; scale.min + i * scale.interval <= scale.max + scale.interval / 1e6; i += 1) {
    out.push(label(scale.min + i * scale.interval));
  }
  return out;
});
console.log(JSON.stringify({
  ticks,
  none: niceScale([null, undefined]),
  words: [humanName("feature_request"), humanName("Food & Beverage"), humanName("eBay"),
          humanLabel("fault_type"), humanLabel("ops"), humanLabel("order amount (x)")],
  csv: toCsv(["name", "value"], [["=SUM(A1)", 2669.2799999999997], ["b", 1328296.9099999997]]),
  names: [fileName("revenue-trend", "12m-month-2026-11", "csv"), fileName("alerts", "", "csv")],
}));
"""


def test_axes_words_and_downloads_match_hand_worked_cases(tmp_path: Path) -> None:
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    assert node is not None
    script = tmp_path / "run.mjs"
    script.write_text(
        SCRIPT
        % {
            "axes": json.dumps((JS / "axes.js").as_uri()),
            "words": json.dumps((JS / "words.js").as_uri()),
            "download": json.dumps((JS / "download.js").as_uri()),
            "cases": json.dumps([case[:4] for case in TICKS]),
        }
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    assert got["ticks"] == [case[4] for case in TICKS]
    assert got["none"] is None
    assert got["words"] == [
        "Feature request", "Food & Beverage", "eBay", "Fault type", "Operations", "Order amount (x)"
    ]  # fmt: skip
    assert got["csv"] == "name,value\r\n'=SUM(A1),2669.28\r\nb,1328296.91\r\n"
    assert got["names"] == ["revenue-trend-12m-month-2026-11.csv", "alerts.csv"]
