"""format.js, the page's number formatting, run under Node with hand-written expectations."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require

FORMAT_JS = Path(__file__).parents[2] / "src/execdash/web/static/js/format.js"

CASES = [
    ("formatValue", [12_400_000, "currency", "revenue"], "£12.4M"),
    ("formatValue", [850_000, "currency", ""], "£850K"),
    ("formatValue", [999_960, "currency", ""], "£1.0M"),
    ("formatValue", [-1_250_000, "currency", ""], "−£1.3M"),
    ("formatValue", [2_824.4, "currency", "", {"compact": False}], "£2,824"),
    ("formatValue", [0.2, "currency", "", {"compact": False}], "£0.20"),
    ("formatValue", [-0.2, "currency", ""], "−£0.20"),
    ("formatValue", [0, "currency", "", {"compact": False}], "£0"),
    ("formatValue", [0.37, "ratio", "gm"], "37.0%"),
    ("formatValue", [1.0834, "ratio", "book_to_bill"], "1.08×"),
    ("formatValue", [6.43, "months", "payback"], "6.4 mo"),
    ("formatValue", [1.068, "ratio", "nrr"], "106.8%"),
    ("formatValue", [0.342, "score", "nps"], "+34"),
    ("formatValue", [-0.05, "score", "nps"], "−5"),
    ("formatValue", [4.1234, "score", "csat"], "4.12"),
    ("formatValue", [9511, "count", "leads"], "9,511"),
    ("formatValue", [50.27, "days", "sales_cycle"], "50.3 d"),
    ("formatValue", [None, "currency", "revenue"], "—"),
    ("formatDelta", [0.2238], "+22.4%"),
    ("formatDelta", [-0.117], "−11.7%"),
    ("formatDelta", [0.00001], "0.0%"),
    ("formatDelta", [None], "—"),
    ("formatPoints", [-0.033, "gm"], "−3.3 pts"),
    ("formatPoints", [0.0012, "uptime"], "+0.1 pts"),
    ("formatPoints", [0.00001, "nrr"], "0.0 pts"),
    ("formatPoints", [-0.13, "book_to_bill"], "−0.13×"),
    (
        "formatChange",
        [{"key": "gm", "change_unit": "points", "change": -0.033, "delta": -0.09}],
        "−3.3 pts",
    ),
    (
        "formatChange",
        [{"key": "revenue", "change_unit": "relative", "change": 5, "delta": 0.05}],
        "+5.0%",
    ),
    ("formatAxis", [0.015, "ratio"], "1.5%"),
    ("formatAxis", [0.02, "ratio"], "2%"),
    ("formatAxis", [21000, "count"], "21K"),
    ("formatAxis", [1000, "hours"], "1000 h"),
    ("formatPeriod", ["2026-09"], "Sep 2026"),
    ("formatPeriod", ["2026-Q3"], "Q3 2026"),
    ("formatPeriod", ["FY2026-Q1"], "FY2026 Q1"),
    ("formatPeriod", ["FY2026-Q5"], "FY2026-Q5"),
    ("formatDate", ["2026-09-06"], "6 Sep 2026"),
    ("formatDate", ["2026-10-29T15:39:36"], "29 Oct 2026"),
]


def test_format_js_matches_hand_written_expectations(tmp_path: Path) -> None:
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    assert node is not None
    script = tmp_path / "run.mjs"
    script.write_text(
        f"import * as f from {json.dumps(FORMAT_JS.as_uri())};\n"
        f"const cases = {json.dumps(CASES)};\n"
        "console.log(JSON.stringify(cases.map(([fn, args]) => f[fn](...args))));\n"
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    assert got == [expected for _, _, expected in CASES]
