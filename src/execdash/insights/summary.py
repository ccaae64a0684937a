"""The written summary: templates over KPI changes, their drivers, MRR movements, alerts and risks.

Pure: `summarise` is given everything it reports, so the same inputs give the same words. Rules
decide what is worth saying: a change is material when a currency or months KPI moved by at least
2% or a ratio by at least 0.2 pts (0.02× for book-to-bill); revenue always leads, then material
unfavourable changes (largest first), then favourable ones, then what held steady, the MRR bridge,
at-risk customers, open alerts and overdue risks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from execdash.insights import wording as w
from execdash.insights.models import KpiDrivers, MrrMovements, Part, Statement, Summary
from execdash.metrics.comparisons import PLAN, comparison
from execdash.metrics.models import AtRiskCustomer, Kpi, Timeframe
from execdash.metrics.windows import Window

MATERIAL_RELATIVE = 0.02
MATERIAL_POINTS = 0.002
MATERIAL_MULTIPLE = 0.02
CHECK_TOLERANCE = 0.01
"""A stored NRR / churn / expansion more than 1 pt away from the orders' is reported."""
LOW_COVERAGE_MONTHS = 3.0
HIGH_REVENUE_CHURN = 0.02
RULES = [
    "A currency or months KPI is material when it moved by 2% or more; a percentage KPI by "
    "0.2 pts or more; book-to-bill by 0.02× or more.",
    "Revenue is always stated first; then material unfavourable changes, largest first; then "
    "material favourable changes; then the KPIs that held steady.",
    "Each material change names its largest driver in the same direction (never 'other' or "
    "'unattributed').",
    "Then the MRR bridge, at-risk customers, open high-severity alerts and overdue risks.",
    "Actions: overdue risks, high alerts, the largest at-risk customer, backlog coverage under "
    "3 months, book-to-bill under 1, monthly revenue churn above 2%, stored retention figures "
    "more than 1 pt away from the orders.",
]
ORDERED = ("revenue", "arr", "gm", "book_to_bill", "nrr", "backlog", "coverage_months",
           "payback", "uptime")  # fmt: skip


@dataclass(frozen=True, slots=True)
class AlertItem:
    """An alert that is not closed."""

    id: int
    title: str
    severity: str | None
    type: str


@dataclass(frozen=True, slots=True)
class RiskItem:
    """A risk that is not closed."""

    id: int
    title: str
    owner: str | None
    due: dt.date | None
    overdue: bool


@dataclass(slots=True)
class Inputs:
    """Everything the summary reports on, for one window."""

    window: Window
    kpis: list[Kpi]
    drivers: dict[str, KpiDrivers] = field(default_factory=dict)
    mrr: MrrMovements | None = None
    alerts: list[AlertItem] = field(default_factory=list)
    risks: list[RiskItem] = field(default_factory=list)
    at_risk: list[AtRiskCustomer] = field(default_factory=list)
    symbol: str = "£"


class _Sentence:
    def __init__(self, topic: str, tone: Literal["good", "bad", "neutral"]) -> None:
        self.topic, self.tone, self.parts = topic, tone, list[Part]()

    def say(self, text: str) -> _Sentence:
        self.parts.append(Part(text=text))
        return self

    def fig(self, text: str, href: str, source: str | None = None) -> _Sentence:
        self.parts.append(Part(text=text, href=href, source=source))
        return self

    def done(self) -> Statement:
        text = "".join(p.text for p in self.parts)
        return Statement(topic=self.topic, tone=self.tone, text=text, parts=self.parts)


def _query(window: Window) -> str:
    query = f"range={window.range_key}&granularity={window.granularity}&as_of={window.as_of}"
    return query if window.comparison == "previous" else f"{query}&compare={window.comparison}"


def _against(window: Window) -> str:
    """'previous window', or the comparison's words ('same period last year')."""
    return (
        "previous window"
        if window.comparison == "previous"
        else comparison(window.comparison).against
    )


def material(kpi: Kpi) -> bool:
    """True when the KPI moved enough to be worth a sentence of its own."""
    if kpi.value is None or kpi.previous is None:
        return False
    if kpi.unit == "ratio":
        limit = MATERIAL_MULTIPLE if kpi.key in w.MULTIPLES else MATERIAL_POINTS
        return abs(kpi.value - kpi.previous) >= limit
    return kpi.delta is not None and abs(kpi.delta) >= MATERIAL_RELATIVE


def _weight(kpi: Kpi) -> float:
    if kpi.unit == "ratio" and kpi.value is not None and kpi.previous is not None:
        return abs(kpi.value - kpi.previous) * 10  # 1 pt weighs like a 10% move
    return abs(kpi.delta or 0.0)


def _tone(kpi: Kpi) -> Literal["good", "bad", "neutral"]:
    return "good" if kpi.favourable is True else "bad" if kpi.favourable is False else "neutral"


def _top_driver(drivers: KpiDrivers, rising: bool) -> tuple[str, float] | None:
    """The largest slice that moved the KPI the way it went."""
    pool = drivers.top_up if rising else drivers.top_down
    return (pool[0].name, pool[0].contribution) if pool else None


def kpi_sentence(kpi: Kpi, inputs: Inputs) -> Statement:
    """'Revenue rose 40.3% to £9.0M; Food & Beverage added £0.9M of the £2.6M increase.'"""
    q, sym = _query(inputs.window), inputs.symbol
    page, source = f"/kpi/{kpi.key}?{q}", f"/api/v1/kpis/{kpi.key}?{q}"
    s = _Sentence(kpi.key, _tone(kpi))
    assert kpi.value is not None
    now = w.value(kpi.value, kpi.unit, kpi.key, sym)
    if kpi.previous is None:
        return s.say(f"{kpi.label} is ").fig(now, page, source).say(
            f" (no {_against(inputs.window)} to compare with)."
        ).done()  # fmt: skip
    moved = kpi.value - kpi.previous
    if inputs.window.comparison == PLAN:
        if not material(kpi):
            return s.say(f"{kpi.label} is on plan at ").fig(now, page, source).say(".").done()
        s.say(f"{kpi.label} is ")
        if kpi.unit == "ratio":
            s.fig(w.change(abs(moved), kpi.unit, kpi.key, sym), page, source)
        else:
            s.fig(w.percent(abs(kpi.delta or 0.0)), page, source)
        s.say(f" {'above' if moved > 0 else 'below'} plan at ").fig(now, page, source)
        return s.say(".").done()
    if not material(kpi):
        return s.say(f"{kpi.label} held steady at ").fig(now, page, source).say(".").done()
    rising = moved > 0
    s.say(f"{kpi.label} {'rose' if rising else 'fell'} ")
    if kpi.unit == "ratio":
        s.fig(w.change(moved, kpi.unit, kpi.key, sym), page, source)
    else:
        s.fig(w.percent(abs(kpi.delta or 0.0)), page, source)
    s.say(" to ").fig(now, page, source)
    drivers = inputs.drivers.get(kpi.key)
    top = _top_driver(drivers, rising) if drivers is not None else None
    if drivers is not None and top is not None:
        name, contribution = top
        href = f"/kpi/{kpi.key}?{q}&by={drivers.dimension}#kpi-drivers"
        api = f"/api/v1/kpis/{kpi.key}/drivers?by={drivers.dimension}&{q}"
        s.say(f"; {name} ({drivers.dimension}) ")
        if kpi.unit == "currency":
            s.say("added " if rising else "took away ")
            s.fig(w.money(abs(contribution), sym), href, api)
            s.say(" of the ").fig(w.money(abs(moved), sym), href, api)
            s.say(" increase" if rising else " decrease")
        else:
            s.say("contributed ").fig(w.signed(contribution, kpi.unit, kpi.key, sym), href, api)
            s.say(" of the ").fig(w.signed(moved, kpi.unit, kpi.key, sym), href, api)
            s.say(" change")
    return s.say(".").done()


def steady_sentence(kpis: list[Kpi], inputs: Inputs) -> Statement | None:
    """'Backlog (£4.3M, +1.2%) and gross margin (36.4%, +0.1 pts) held steady.' for the KPIs
    that did not move materially, each with the change its tile shows (so a green ▲ on the tile
    is never contradicted by the words)."""
    if not kpis:
        return None
    s = _Sentence("steady", "neutral")
    q = _query(inputs.window)
    for i, kpi in enumerate(kpis):
        if i:
            s.say(" and " if i == len(kpis) - 1 else ", ")
        assert kpi.value is not None
        page, source = f"/kpi/{kpi.key}?{q}", f"/api/v1/kpis/{kpi.key}?{q}"
        now = w.value(kpi.value, kpi.unit, kpi.key, inputs.symbol)
        s.say(f"{kpi.label} (").fig(now, page, source)
        moved = w.tile_change(kpi.value, kpi.previous, kpi.delta, kpi.unit, kpi.key)
        if moved is not None and inputs.window.comparison != PLAN:
            s.say(", ").fig(moved, page, source)
        s.say(")")
    return s.say(" held steady.").done()


def mrr_sentence(mrr: MrrMovements, inputs: Inputs) -> Statement:
    """'MRR rose from £193.0K to £274.9K: £65.6K new, … (14 customers churned).'"""
    b, sym, q = mrr.window, inputs.symbol, _query(inputs.window)
    href, api = f"/retention?{q}#mrr-movements", f"/api/v1/retention/mrr-movements?{q}"
    moved = b.closing - b.opening
    tone: Literal["good", "bad", "neutral"] = (
        "good" if moved > 0 else "bad" if moved < 0 else "neutral"
    )
    s = _Sentence("mrr", tone)
    if moved:
        s.say(f"MRR {'rose' if moved > 0 else 'fell'} from ").fig(
            w.money(b.opening, sym), href, api
        )
        s.say(" to ").fig(w.money(b.closing, sym), href, api).say(": ")
    else:
        s.say("MRR stayed at ").fig(w.money(b.closing, sym), href, api).say(": ")
    pieces = [("new", b.new), ("reactivation", b.reactivation), ("expansion", b.expansion),
              ("contraction", b.contraction), ("churn", b.churn)]  # fmt: skip
    shown = [(n, v) for n, v in pieces if v != 0]
    for i, (name, amount) in enumerate(shown):
        if i:
            s.say(", ")
        s.fig(w.money(amount, sym, signed=True), href, api).say(f" {name}")
    if not shown:
        s.say("no customer moved")
    if b.customers.churn:
        s.say(" (").fig(f"{b.customers.churn} customer{'s' if b.customers.churn != 1 else ''}",
                        href, api)  # fmt: skip
        s.say(" churned")
        if b.revenue_churn_rate is not None:
            s.say(", monthly revenue churn ").fig(w.percent(b.revenue_churn_rate), href, api)
        s.say(")")
    return s.say(".").done()


def _has_mrr(mrr: MrrMovements | None) -> bool:
    """True when any month of the window (or its opening) had recurring revenue."""
    return mrr is not None and any(m.opening or m.closing for m in mrr.months)


def _at_risk_sentence(at_risk: list[AtRiskCustomer], inputs: Inputs) -> Statement | None:
    if not at_risk:
        return None
    loss = sum(c.expected_loss for c in at_risk)
    top = at_risk[0]
    href, api = f"/retention?{_query(inputs.window)}", "/api/v1/at-risk-customers"
    s = _Sentence("at_risk", "bad")
    s.fig(w.money(loss, inputs.symbol), href, api).say(" of MRR is expected to be lost across ")
    s.fig(f"{len(at_risk)} at-risk customer{'s' if len(at_risk) != 1 else ''}", href, api)
    s.say(f"; the largest is {top.customer} (")
    s.fig(w.money(top.mrr, inputs.symbol), href, api).say(" MRR, ")
    s.fig(w.percent(top.risk, digits=0), href, api).say(" risk).")
    return s.done()


def _alerts_sentence(alerts: list[AlertItem]) -> Statement | None:
    high = [a for a in alerts if a.severity == "high"]
    if not alerts:
        return None
    s = _Sentence("alerts", "bad" if high else "neutral")
    s.fig(f"{len(alerts)} open alert{'s' if len(alerts) != 1 else ''}", "/alerts", "/api/v1/alerts")
    if high:
        s.say(", ").fig(f"{len(high)} of them high", "/alerts?severity=high",
                        "/api/v1/alerts?severity=high")  # fmt: skip
        _titles(s, [a.title for a in high], "/alerts?severity=high", "/api/v1/alerts?severity=high")
    return s.say(".").done()


def _titles(s: _Sentence, titles: list[str], href: str, api: str, shown: int = 3) -> None:
    """': «a», «b» and «c»', or ': «a», «b», «c» and 2 more' with the count a link."""
    quoted = [f"«{t}»" for t in titles[:shown]]
    more = len(titles) - len(quoted)
    if not more:
        s.say(": " + w.listed(quoted))
        return
    s.say(": " + ", ".join(quoted) + " and ").fig(f"{more} more", href, api)


def _risks_sentence(risks: list[RiskItem]) -> Statement | None:
    late = [r for r in risks if r.overdue]
    if not risks:
        return None
    s = _Sentence("risks", "bad" if late else "neutral")
    s.fig(f"{len(risks)} open risk{'s' if len(risks) != 1 else ''}", "/alerts#risks",
          "/api/v1/risks")  # fmt: skip
    if late:
        s.say(", ").fig(f"{len(late)} overdue", "/alerts#risks", "/api/v1/risks?overdue=true")
        _titles(s, [r.title for r in late], "/alerts#risks", "/api/v1/risks?overdue=true")
    return s.say(".").done()


def _checks_sentence(mrr: MrrMovements) -> Statement | None:
    if not mrr.checks:
        return None
    last = mrr.checks[-1]
    if last.nrr_difference is None or abs(last.nrr_difference) <= CHECK_TOLERANCE:
        return None
    assert last.nrr is not None
    assert last.stored_nrr is not None
    s = _Sentence("nrr", "neutral")
    href = f"/retention?{_query_of(mrr)}#mrr-check"
    s.say(f"The stored NRR for {w.month(last.month)} (").fig(w.percent(last.stored_nrr), href)
    s.say(") differs from the orders' (").fig(w.percent(last.nrr), href).say(") by ")
    s.fig(w.points(abs(last.nrr_difference)), href).say(".")
    return s.done()


def _query_of(mrr: MrrMovements) -> str:
    t: Timeframe = mrr.timeframe
    query = f"range={t.range}&granularity={t.granularity}&as_of={t.as_of}"
    return query if t.compare == "previous" else f"{query}&compare={t.compare}"


def actions(inputs: Inputs, by_key: dict[str, Kpi]) -> list[str]:
    """What to act on, most urgent first (rules in RULES)."""
    out = []
    sym = inputs.symbol
    for r in [r for r in inputs.risks if r.overdue][:3]:
        due = f", due {w.day(r.due)}" if r.due else ""
        out.append(f"Chase the overdue risk «{r.title}» ({r.owner or 'no owner'}{due}).")
    for a in [a for a in inputs.alerts if a.severity == "high"][:3]:
        out.append(f"Review the high-severity {a.type} alert «{a.title}».")
    if inputs.at_risk:
        top = inputs.at_risk[0]
        out.append(
            f"Contact {top.customer}: {w.money(top.mrr, sym)} MRR at "
            f"{w.percent(top.risk, digits=0)} churn risk ({top.reason or 'no reason recorded'})."
        )
    coverage = by_key.get("coverage_months")
    if coverage and coverage.value is not None and coverage.value < LOW_COVERAGE_MONTHS:
        out.append(
            f"Backlog covers only {w.value(coverage.value, 'months')} of revenue: accelerate "
            "bookings or adjust the plan."
        )
    b2b = by_key.get("book_to_bill")
    if b2b and b2b.value is not None and b2b.value < 1:
        out.append(
            f"Book-to-bill is {w.value(b2b.value, 'ratio', 'book_to_bill')}: bookings are below "
            "billings, so the backlog is shrinking; push pipeline conversion."
        )
    mrr = inputs.mrr
    if mrr and mrr.window.revenue_churn_rate and mrr.window.revenue_churn_rate > HIGH_REVENUE_CHURN:
        out.append(
            f"Monthly revenue churn is {w.percent(mrr.window.revenue_churn_rate)}: review the "
            "churned and contracting accounts on the Retention page."
        )
    if mrr and (check := _checks_sentence(mrr)) is not None:
        out.append(f"{check.text} Check which figure the board pack uses.")
    return out


def summarise(inputs: Inputs) -> Summary:
    """The summary of the window (pure and deterministic)."""
    by_key = {k.key: k for k in inputs.kpis}
    known = [by_key[k] for k in ORDERED if k in by_key and by_key[k].value is not None]
    moving = [k for k in known if material(k) or k.previous is None]
    steady = [k for k in known if k not in moving and k.key != "revenue"]
    revenue = [k for k in moving if k.key == "revenue"] or [k for k in known if k.key == "revenue"]
    rest = [k for k in moving if k.key != "revenue"]
    bad = sorted((k for k in rest if k.favourable is False), key=lambda k: -_weight(k))
    good = sorted((k for k in rest if k.favourable is not False), key=lambda k: -_weight(k))
    statements = [kpi_sentence(k, inputs) for k in [*revenue, *bad, *good]]
    extra = [
        steady_sentence(steady, inputs),
        mrr_sentence(inputs.mrr, inputs) if inputs.mrr and _has_mrr(inputs.mrr) else None,
        _checks_sentence(inputs.mrr) if inputs.mrr is not None else None,
        _at_risk_sentence(inputs.at_risk, inputs),
        _alerts_sentence(inputs.alerts),
        _risks_sentence(inputs.risks),
    ]
    statements += [s for s in extra if s is not None]
    if not known:
        statements.insert(
            0, _Sentence("data", "neutral").say("No KPI has data in this window.").done()
        )
    return Summary(
        timeframe=Timeframe.of(inputs.window),
        headline=" ".join(s.text for s in statements[:2]),
        text=" ".join(s.text for s in statements),
        statements=statements,
        highlights=[s.text for s in statements if s.tone == "good"],
        cautions=[s.text for s in statements if s.tone == "bad"],
        actions=actions(inputs, by_key),
        rules=RULES,
    )
