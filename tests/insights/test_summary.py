"""The written summary: materiality, order, drivers named, links on every figure."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.routes import risks as risk_routes
from execdash.config import Settings
from execdash.insights.models import MovementCounts, MrrBridge, MrrMovements, RetentionCheck
from execdash.insights.summary import AlertItem, Inputs, RiskItem, material, summarise
from execdash.metrics.models import AtRiskCustomer, Kpi, Provenance, Timeframe, Unit
from execdash.metrics.tiles import make_kpi
from execdash.metrics.windows import resolve_window

WINDOW = resolve_window("3m", "month", "2025-06")
NONE = Provenance(formula="", inputs=[], months=[])


def kpi(key: str, label: str, unit: Unit, now: float | None, before: float | None,
        good: str = "up") -> Kpi:  # fmt: skip
    return make_kpi(key, label, unit, now, before, NONE, good="up" if good == "up" else "down")


def test_materiality_is_two_percent_for_amounts_and_a_fifth_of_a_point_for_ratios() -> None:
    assert material(kpi("revenue", "Revenue", "currency", 102, 100))
    assert not material(kpi("revenue", "Revenue", "currency", 101.9, 100))
    assert material(kpi("gm", "Gross margin", "ratio", 0.302, 0.300))
    assert not material(kpi("gm", "Gross margin", "ratio", 0.3019, 0.300))
    assert not material(kpi("book_to_bill", "Book-to-bill", "ratio", 1.01, 1.0))
    assert not material(kpi("revenue", "Revenue", "currency", 5, None))


def test_revenue_leads_then_bad_news_then_good_news_then_what_held_steady() -> None:
    inputs = Inputs(
        window=WINDOW,
        kpis=[
            kpi("uptime", "Uptime", "ratio", 0.99, 0.995),
            kpi("backlog", "Backlog", "currency", 1_000_000, 1_005_000),
            kpi("revenue", "Revenue", "currency", 2_500_000, 2_000_000),
            kpi("gm", "Gross margin", "ratio", 0.40, 0.37),
            kpi("payback", "CAC payback", "months", 12.0, 10.0, good="down"),
        ],
        alerts=[AlertItem(1, "Line 3 stopped", "high", "ops"), AlertItem(2, "Late", "low", "ops")],
        risks=[
            RiskItem(1, "Supplier insolvency", "COO", dt.date(2025, 1, 31), True),
            RiskItem(2, "FX", "CFO", None, False),
        ],
        at_risk=[
            AtRiskCustomer(
                id=1, customer="Acme", mrr=1000, risk=0.5, expected_loss=500, reason="Price"
            )
        ],
    )
    summary = summarise(inputs)
    assert [s.text for s in summary.statements] == [
        "Revenue rose 25.0% to £2.5M.",
        "CAC payback rose 20.0% to 12.0 mo.",
        "Uptime fell 0.5 pts to 99.0%.",
        "Gross margin rose 3.0 pts to 40.0%.",
        "Backlog (£1.0M, −0.5%) held steady.",  # 1,000,000 vs 1,005,000
        "£500 of MRR is expected to be lost across 1 at-risk customer; the largest is Acme "
        "(£1.0K MRR, 50% risk).",
        "2 open alerts, 1 of them high: «Line 3 stopped».",
        "2 open risks, 1 overdue: «Supplier insolvency».",
    ]
    assert summary.headline == "Revenue rose 25.0% to £2.5M. CAC payback rose 20.0% to 12.0 mo."
    assert summary.actions == [
        "Chase the overdue risk «Supplier insolvency» (COO, due 31 Jan 2025).",
        "Review the high-severity ops alert «Line 3 stopped».",
        "Contact Acme: £1.0K MRR at 50% churn risk (Price).",
    ]
    assert summary.highlights == [
        "Revenue rose 25.0% to £2.5M.",
        "Gross margin rose 3.0 pts to 40.0%.",
    ]
    revenue = summary.statements[0]
    assert [(p.text, p.href) for p in revenue.parts if p.href] == [
        ("25.0%", "/kpi/revenue?range=3m&granularity=month&as_of=2025-06"),
        ("£2.5M", "/kpi/revenue?range=3m&granularity=month&as_of=2025-06"),
    ]


def test_a_kpi_without_a_previous_value_is_stated_without_a_change() -> None:
    summary = summarise(Inputs(window=WINDOW, kpis=[kpi("arr", "ARR", "currency", 1200, None)]))
    assert summary.text == "ARR is £1.2K (no previous window to compare with)."


def test_against_last_year_the_sentence_and_its_links_say_so() -> None:
    last_year = resolve_window("3m", "month", "2025-06", compare="last_year")
    summary = summarise(Inputs(window=last_year, kpis=[kpi("arr", "ARR", "currency", 1200, None)]))
    assert summary.text == "ARR is £1.2K (no same period last year to compare with)."
    links = [p.href for s in summary.statements for p in s.parts if p.href]
    assert links
    assert all(link.endswith("&compare=last_year") for link in links)


def test_low_coverage_and_book_to_bill_below_one_become_actions() -> None:
    summary = summarise(
        Inputs(
            window=WINDOW,
            kpis=[
                kpi("coverage_months", "Backlog coverage", "months", 2.5, 2.6),
                kpi("book_to_bill", "Book-to-bill", "ratio", 0.9, 0.91),
            ],
        )
    )
    assert summary.actions == [
        "Backlog covers only 2.5 mo of revenue: accelerate bookings or adjust the plan.",
        "Book-to-bill is 0.90×: bookings are below billings, so the backlog is shrinking; push "
        "pipeline conversion.",
    ]


DEMO_TEXT = [
    "Revenue rose 40.3% to £9.0M; Food & Beverage (industry) added £676K of the £2.6M increase.",
    "Book-to-bill fell 0.13× to 1.09×; Inbound (source) contributed −0.06× of the −0.13× change.",
    "Backlog coverage fell 12.0% to 5.1 mo.",
    "Uptime fell 0.3 pts to 99.0%.",
    "ARR rose 42.4% to £3.3M; Marlow Markets Ltd (customer) added £77.1K of the £983K increase.",
    "Net revenue retention rose 3.8 pts to 106.8%.",
    "Backlog rose 24.0% to £4.3M.",
    "CAC payback fell 13.7% to 13.1 mo.",
    "Gross margin (36.4%, +0.1 pts) held steady.",
    "MRR rose from £193K to £275K: +£65.6K new, +£40.5K expansion, −£2.6K contraction, −£21.5K "
    "churn (14 customers churned, monthly revenue churn 0.9%).",
    "£8.4K of MRR is expected to be lost across 8 at-risk customers; the largest is Bluebell "
    "College LLP (£3.3K MRR, 78% risk).",
    "7 open alerts, 3 of them high: «8 accounts flagged at risk», «Uptime dropped below 97%» and "
    "«Compressor lead time spiked».",
    "5 open risks, 4 overdue: «Single-source compressor supplier», «Top-10 customer renewal at "
    "risk», «Firmware 4.2 rollout slips past quarter end» and 1 more.",
]


def test_the_demo_companys_summary_reads_as_written_by_hand(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(risk_routes, "today", lambda: dt.date(2026, 11, 30))
    url = demo_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        body = client.get("/api/v1/summary?range=12m&as_of=2026-10").json()
        kpis = {
            k["key"]: k for k in client.get("/api/v1/kpis?range=12m&as_of=2026-10").json()["kpis"]
        }
    assert [s["text"] for s in body["statements"]] == DEMO_TEXT
    # the first sentence's figures are the tile's: 8,951,351 vs 6,380,669 is +40.3%
    assert kpis["revenue"]["value"] == pytest.approx(8_951_351.11)
    assert kpis["revenue"]["previous"] == pytest.approx(6_380_669.28)
    for statement in body["statements"]:
        for part in statement["parts"]:
            if any(ch.isdigit() for ch in part["text"]) and "«" not in part["text"]:
                assert part["href"], f"{part['text']!r} in {statement['text']!r} has no link"


def _bridge(period: str, opening: float, churn: float, closing: float) -> MrrBridge:
    return MrrBridge(
        period=period, opening_month="2025-03", opening=opening, new=0, reactivation=0,
        expansion=0, contraction=0, churn=churn, unattributed=0, closing=closing,
        net_change=closing - opening,
        customers=MovementCounts(opening=10, new=0, reactivation=0, expansion=0, contraction=0,
                                 churn=2, closing=8),
        arpa=closing / 8, logo_churn_rate=2 / 30, revenue_churn_rate=-churn / (3 * opening),
        expansion_rate=0,
    )  # fmt: skip


def test_a_stored_nrr_off_the_orders_and_high_revenue_churn_are_said_and_acted_on() -> None:
    check = RetentionCheck(
        month="2025-06", cohort_customers=10, nrr=0.90, stored_nrr=1.02, nrr_difference=-0.12,
        gross_churn=0.1, stored_gross_churn=0.1, gross_churn_difference=0.0, expansion=0.0,
        stored_expansion=None, expansion_difference=None,
    )  # fmt: skip
    mrr = MrrMovements(
        timeframe=Timeframe.of(WINDOW), window=_bridge("2025-04..2025-06", 1000, -100, 900),
        months=[_bridge("2025-06", 1000, -100, 900)], arr_opening=12_000, arr_closing=10_800,
        checks=[check], source="orders",
    )  # fmt: skip
    summary = summarise(Inputs(window=WINDOW, kpis=[], mrr=mrr))
    nrr = "The stored NRR for Jun 2025 (102.0%) differs from the orders' (90.0%) by 12.0 pts."
    assert [s.text for s in summary.statements][-1] == nrr
    link = next(p.href for p in summary.statements[-1].parts if p.href)
    assert link == "/retention?range=3m&granularity=month&as_of=2025-06#mrr-check"
    assert summary.actions == [
        "Monthly revenue churn is 3.3%: review the churned and contracting accounts on the "
        "Retention page.",
        f"{nrr} Check which figure the board pack uses.",
    ]
    within = check.model_copy(update={"nrr": 1.015, "nrr_difference": -0.005})
    quiet = summarise(
        Inputs(window=WINDOW, kpis=[], mrr=mrr.model_copy(update={"checks": [within]}))
    )
    assert not any("stored NRR" in s.text for s in quiet.statements)
