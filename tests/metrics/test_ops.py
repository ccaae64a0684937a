"""Operations overview: day-weighted rates, faults by type and repurchase rate by device type."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import ops
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put


def test_operations_overview(any_engine: Engine, put: Put) -> None:
    put(
        "ops_quality",
        [
            {"period": "2024-02", "doa_pct": 0.01, "defect_pct": 0.02, "warranty_pct": 0.03},
            {"period": "2024-03", "doa_pct": 0.02, "defect_pct": 2.0, "warranty_pct": 0.03},
        ],
    )
    put("ops_reliability", [{"period": "2024-03", "mtbf_hours": 700, "mttr_hours": 3}])
    put("devices", [{"type": "X", "fault_type": f} for f in ("pump", "pump", None, "valve")])
    put(
        "repurchases",
        [
            {"device_type": "A", "repurchase_rate": 0.2},
            {"device_type": "A", "repurchase_rate": 40},
            {"device_type": "B", "repurchase_rate": 0.5},
        ],
    )
    with any_engine.connect() as conn:
        result = ops.overview(conn, resolve_window("3m", "month", "2024-03"))
    tiles = {k.key: k for k in result.kpis}
    assert tiles["doa"].value == pytest.approx((0.01 * 29 + 0.02 * 31) / 60)  # leap February
    assert tiles["defect"].value == pytest.approx((0.02 * 29 + 0.02 * 31) / 60)  # 2.0 → 0.02
    assert tiles["mttr"].good_direction == "down"
    assert tiles["uptime"].value is None
    assert {(w.table, w.column) for w in result.warnings} == {
        ("ops_quality", "defect_pct"),
        ("repurchases", "repurchase_rate"),
    }
    faults = [(i.name, i.value, i.share) for i in result.faults_by_type.items]
    assert faults == [("pump", 2.0, pytest.approx(2 / 3)), ("valve", 1.0, pytest.approx(1 / 3))]
    rates = [(r.device_type, r.repurchase_rate, r.rows) for r in result.repurchase_by_device_type]
    assert rates == [("A", pytest.approx(0.3), 2), ("B", 0.5, 1)]
    assert {s.key for s in result.series} >= {"uptime", "mtbf", "mttr", "service_cost"}


def test_operations_overview_shows_every_tile_as_the_user_reads_it(
    any_engine: Engine, put: Put
) -> None:
    put(
        "ops_quality",
        [
            {"period": "2024-02", "doa_pct": 0.01, "defect_pct": 0.02, "warranty_pct": 0.03},
            {"period": "2024-03", "doa_pct": 0.02, "defect_pct": 2.0, "warranty_pct": 0.03},
        ],
    )
    put("ops_reliability", [{"period": "2024-03", "mtbf_hours": 700, "mttr_hours": 3}])
    put("repurchases", [{"device_type": "A", "repurchase_rate": 40}])
    with any_engine.connect() as conn:
        result = ops.overview(conn, resolve_window("3m", "month", "2024-03"))
    assert result.domain == "operations"
    doa = (0.01 * 29 + 0.02 * 31) / 60  # leap February
    mean = "Day-weighted mean of {} over the window"
    assert [
        (k.key, k.label, k.unit, k.value, k.good_direction, k.provenance.formula)
        for k in result.kpis
    ] == [
        ("uptime", "Uptime", "ratio", None, "up", mean.format("ops_uptime.uptime")),
        ("mtbf", "MTBF", "hours", 700.0, "up", mean.format("ops_reliability.mtbf_hours")),
        ("mttr", "MTTR", "hours", 3.0, "down", mean.format("ops_reliability.mttr_hours")),
        ("doa", "Dead on arrival", "ratio", pytest.approx(doa), "down",
         mean.format("ops_quality.doa_pct")),
        ("defect", "Defect rate", "ratio", pytest.approx(0.02), "down",
         mean.format("ops_quality.defect_pct")),
        ("warranty", "Warranty claims", "ratio", pytest.approx(0.03), "down",
         mean.format("ops_quality.warranty_pct")),
        ("service_cost", "Service cost per device", "currency", None, "down",
         mean.format("ops_service_cost.cost_per_device")),
    ]  # fmt: skip
    # The defect rate stored as 2.0 (a percent) is flagged on its own tile, not only the page.
    assert [[(w.column, w.period, w.value) for w in k.warnings] for k in result.kpis] == [
        [], [], [], [], [("defect_pct", "2024-03", 2.0)], [], [],
    ]  # fmt: skip
    assert [(w.table, w.period, w.value) for w in result.warnings] == [
        ("ops_quality", "2024-03", 2.0),
        ("repurchases", "A", 40.0),  # the warning names the device type whose rate was a percent
    ]


def test_faults_by_type_names_its_dimension_and_leaves_out_blank_faults(
    any_engine: Engine, put: Put
) -> None:
    put(
        "devices",
        [{"type": "X", "fault_type": f} for f in ("pump", "pump", None, "", "valve")],
    )
    with any_engine.connect() as conn:
        found = ops.faults_by_type(conn)
    assert (found.dimension, found.measure, found.unit, found.total) == (
        "fault_type", "devices", "count", 3.0,
    )  # fmt: skip
    assert [(i.name, i.value) for i in found.items] == [("pump", 2.0), ("valve", 1.0)]


def test_devices_with_a_fault_are_counted_by_device_type(any_engine: Engine, put: Put) -> None:
    put(
        "devices",
        [
            {"type": "pump", "fault_type": "seal"},
            {"type": "pump", "fault_type": "motor"},
            {"type": "pump", "fault_type": None},
            {"type": "valve", "fault_type": "stuck"},
            {"type": "valve", "fault_type": ""},
            {"type": "meter", "fault_type": None},
        ],
    )
    with any_engine.connect() as conn:
        found = ops.faults_by_device_type(conn)
    assert (found.dimension, found.measure, found.unit, found.total) == (
        "device_type", "devices", "count", 3.0,
    )  # fmt: skip
    assert [(i.name, i.value, i.share) for i in found.items] == [
        ("pump", 2.0, pytest.approx(2 / 3)),
        ("valve", 1.0, pytest.approx(1 / 3)),
    ]
