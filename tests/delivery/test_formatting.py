"""The digest formats numbers exactly as the page does: the same inputs through format.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from execdash.delivery import formatting as f
from tests.conftest import require

FORMAT_JS = Path(__file__).parents[2] / "src/execdash/web/static/js/format.js"
VALUES = [
    0,
    0.125,
    -0.125,
    0.0004,
    0.00049,
    1,
    12.5,
    99.95,
    999.5,
    999.4,
    1234.5,
    -1234.5,
    9995,
    99_950,
    999_500,
    1_234_567,
    -27_700_000,
    1e9,
    0.9995e12,
    3.14159,
    0.37,
    -0.033,
    1.0864,
    6.449,
    0.005,
    -0.005,
]
UNITS = [
    "currency",
    "ratio",
    "months",
    "days",
    "hours",
    "count",
    "score",
    "per_year",
    "multiple",
    "other",
]
KEYS = ["", "book_to_bill", "nps"]


def _node(cases: list[list[object]]) -> list[str]:
    script = (
        f"const f = await import({json.dumps(FORMAT_JS.as_uri())});"
        "const cases = JSON.parse(process.argv[1]);"
        "const out = cases.map(([fn, ...args]) => f[fn](...args));"
        "process.stdout.write(JSON.stringify(out));"
    )
    done = subprocess.run(
        ["node", "--no-warnings", "--input-type=module", "-e", script, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return list(json.loads(done.stdout))


@pytest.fixture(scope="module")
def have_node() -> None:
    require(shutil.which("node") is not None, "node is not installed")


@pytest.mark.usefixtures("have_node")
def test_values_match_the_page_for_every_unit_and_key() -> None:
    cases = [["formatValue", v, unit, key] for v in VALUES for unit in UNITS for key in KEYS]
    expected = _node(cases)
    got = [f.format_value(v, unit, key) for _, v, unit, key in cases]  # type: ignore[misc]
    assert got == expected


@pytest.mark.usefixtures("have_node")
def test_changes_dates_and_periods_match_the_page() -> None:
    cases = [
        *(["formatDelta", v] for v in VALUES),
        *(["formatPoints", v, key] for v in VALUES for key in KEYS),
        *(["formatDate", d] for d in ["2026-09-06", "2026-11-30T08:00:00Z", "", "soon"]),
        *(["formatPeriod", p] for p in ["2025-08", "2025-Q3", "2025-13", "x"]),
        *(["formatCurrency", v] for v in VALUES),
    ]
    got = []
    for name, *args in cases:
        fn = {
            "formatDelta": f.format_delta,
            "formatPoints": f.format_points,
            "formatDate": f.format_date,
            "formatPeriod": f.format_period,
            "formatCurrency": f.format_currency,
        }[str(name)]
        got.append(fn(*args))  # type: ignore[operator]
    assert got == _node(cases)


def test_missing_values_show_a_dash() -> None:
    assert f.format_value(None, "currency") == "—"
    assert f.format_value(float("nan"), "ratio") == "—"
    assert f.format_delta(None) == "—"


def test_to_fixed_rounds_half_away_from_zero_like_javascript() -> None:
    assert f.to_fixed(0.125, 2) == "0.13"  # exactly representable: JavaScript rounds up
    assert f.to_fixed(1.005, 2) == "1.00"  # 1.00499999… in binary
    assert f.to_fixed(2.5, 0) == "3"
